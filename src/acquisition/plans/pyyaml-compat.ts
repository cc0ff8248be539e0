import { parse, type ScalarTag, type Tags } from 'yaml';

/**
 * useq's YAML plans are written and read by PyYAML (YAML 1.1). The `yaml` package's 1.1 schema resolves a few
 * plain scalars differently (y/n as booleans, "1e3" and "00:01" as numbers); these are PyYAML's resolvers, so
 * that a channel named "y" stays a string and "00:01" stays a duration text, as in useq.
 */
const PYYAML = {
  true: /^(?:[Yy]es|YES|[Tt]rue|TRUE|[Oo]n|ON)$/,
  false: /^(?:[Nn]o|NO|[Ff]alse|FALSE|[Oo]ff|OFF)$/,
  decimalInt: /^[-+]?(?:0|[1-9][0-9_]*)$/,
  sexagesimalInt: /^[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+$/,
  decimalFloat: /^(?:[-+]?[0-9][0-9_]*\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?)$/,
};

/** PyYAML's test for a tag of the `yaml` package: a RegExp, null to drop the tag, undefined to keep it as is. */
function pyyamlTest(tag: ScalarTag): RegExp | null | undefined {
  const test = tag.test;
  if (!test) return undefined;
  switch (tag.tag) {
    case 'tag:yaml.org,2002:bool':
      return test.test('true') ? PYYAML.true : PYYAML.false;
    case 'tag:yaml.org,2002:int':
      if (tag.format === 'TIME') return PYYAML.sexagesimalInt;
      return test.test('12') ? PYYAML.decimalInt : undefined;
    case 'tag:yaml.org,2002:float':
      if (tag.format === 'EXP') return null;
      return test.test('1.5') ? PYYAML.decimalFloat : undefined;
    default:
      return undefined;
  }
}

function pyyamlTags(tags: Tags): Tags {
  const result: Tags = [];
  for (const tag of tags) {
    const test = typeof tag === 'object' && 'test' in tag ? pyyamlTest(tag as ScalarTag) : undefined;
    if (test === undefined) result.push(tag);
    else if (test !== null) result.push({ ...(tag as ScalarTag), test });
  }
  return result;
}

export function parsePyYaml(text: string): unknown {
  return parse(text, { version: '1.1', customTags: pyyamlTags });
}
