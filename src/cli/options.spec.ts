import { z } from 'zod';
import { ConfigError } from '../config/load-config';
import { ModelNotFoundError } from '../models/store/model-errors';
import { exitCodeFor } from './exit-codes';
import { helpText, parseOptions, tokenize } from './options';
import { HelpRequested, UsageError } from './usage-error';

const schema = z.object({
  out: z.string().min(1).describe('where it goes'),
  maxTile: z.coerce.number().int().min(16).optional(),
  mode: z.enum(['fast', 'slow']).default('fast'),
  force: z.boolean().optional(),
});
const USAGE = 'scope thing <in> --out <dir> [--max-tile <px>] [--mode fast|slow] [--force]';

describe('the scope command line', () => {
  it('reads "--name value", "--name=value", bare flags from the schema and positional arguments', () => {
    const { positional, options } = parseOptions(['in.tif', '--out', 'dir', '--max-tile=64', '--force', 'more.tif'], schema, USAGE);
    expect(positional).toEqual(['in.tif', 'more.tif']);
    expect(options).toEqual({ out: 'dir', maxTile: 64, mode: 'fast', force: true });
  });

  it('refuses an unknown option by name, before looking for its value', () => {
    expect(() => parseOptions(['--out', 'd', '--frobnicate'], schema, USAGE)).toThrow(
      new UsageError(`unknown option --frobnicate\nusage: ${USAGE}`),
    );
  });

  it('names an option without a value, and an invalid one, and ends with the usage', () => {
    expect(() => parseOptions(['--out'], schema, USAGE)).toThrow(/^--out needs a value\nusage: scope thing/);
    expect(() => parseOptions(['--out', 'd', '--mode', 'medium'], schema, USAGE)).toThrow(/^--mode: .*\nusage: scope thing/);
    expect(() => parseOptions(['--out', 'd', '--max-tile', 'big'], schema, USAGE)).toThrow(UsageError);
  });

  it('answers --help and -h anywhere with the usage and every option, its values and default', () => {
    for (const argv of [['--help'], ['in.tif', '-h'], ['--out', 'd', '--help']]) {
      expect(() => parseOptions(argv, schema, USAGE)).toThrow(HelpRequested);
    }
    const text = helpText(USAGE, schema);
    expect(text.split('\n')[0]).toBe(`usage: ${USAGE}`);
    expect(text).toMatch(/^ {2}--out <text> +where it goes$/m);
    expect(text).toMatch(/^ {2}--max-tile <number>$/m);
    expect(text).toMatch(/^ {2}--mode fast\|slow +default "fast"$/m);
    expect(text).toMatch(/^ {2}--force$/m);
    expect(text).toMatch(/^ {2}--help +print this help$/m);
  });

  it('tokenizes without a schema for scripts that want only the words', () => {
    expect(tokenize(['a', '--n', '1', '--flag'], ['flag'])).toEqual({
      positional: ['a'],
      options: new Map<string, string | true>([
        ['n', '1'],
        ['flag', true],
      ]),
    });
  });

  it('exits 2 for the command line, 78 for the configuration and 1 for anything else', () => {
    expect(exitCodeFor(new UsageError('x'))).toBe(2);
    expect(exitCodeFor(new ModelNotFoundError('no model "m"'))).toBe(2);
    expect(exitCodeFor(new ConfigError('scope.yaml', ['port: must be a number']))).toBe(78);
    expect(exitCodeFor(new Error('disk full'))).toBe(1);
  });
});
