import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { DescriptionProblem } from './axis-ids';
import { describe04, describe05, type ZooDescription, type ZooFile } from './zoo-description';
import { ZooChecksumError, ZooPackageError, ZooWeightsFormatError } from './zoo-errors';
import { rdf04Schema, rdf05Schema } from './zoo-rdf-schema';

/** The description files a package may carry, in the order looked for. */
export const ZOO_DESCRIPTION_FILES = ['rdf.yaml', 'bioimageio.yaml'] as const;

export interface ZooPackage {
  readonly folder: string;
  readonly descriptionFile: string;
  readonly description: ZooDescription;
  /** Files used whose sha256 the description does not state (0.4 test tensors): read, but not verified. */
  readonly unverifiedFiles: readonly string[];
}

function issues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`).join('; ');
}

export function findDescriptionFile(folder: string): string | undefined {
  return ZOO_DESCRIPTION_FILES.map((f) => join(folder, f)).find((p) => existsSync(p));
}

function parseDescription(folder: string, file: string): ZooDescription {
  let raw: unknown;
  try {
    raw = parseYaml(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ZooPackageError(folder, `${file} is not valid YAML (${(err as Error).message})`);
  }
  const version = String((raw as { format_version?: unknown } | null)?.format_version ?? '');
  try {
    if (/^0\.5\./.test(version)) {
      const parsed = rdf05Schema.safeParse(raw);
      if (!parsed.success) throw new DescriptionProblem(issues(parsed.error));
      return describe05(parsed.data);
    }
    if (/^0\.4\./.test(version)) {
      const parsed = rdf04Schema.safeParse(raw);
      if (!parsed.success) throw new DescriptionProblem(issues(parsed.error));
      return describe04(parsed.data);
    }
  } catch (err) {
    if (err instanceof DescriptionProblem) throw new ZooPackageError(folder, err.message);
    throw err;
  }
  throw new ZooPackageError(folder, `format_version "${version}" is not read (model spec 0.4.x or 0.5.x)`);
}

/** Reads a file the description names, checking it stays inside the folder and, when stated, its sha256. */
export function readPackageFile(folder: string, file: ZooFile): Buffer {
  if (/^[a-z]+:\/\//i.test(file.source)) throw new ZooPackageError(folder, `${file.source} is a URL; packages are run from local files only`);
  const path = resolve(folder, file.source);
  if (!path.startsWith(resolve(folder))) throw new ZooPackageError(folder, `${file.source} lies outside the package`);
  if (!existsSync(path)) throw new ZooPackageError(folder, `${file.source} is missing`);
  const bytes = readFileSync(path);
  if (file.sha256) {
    const actual = createHash('sha256').update(bytes).digest('hex');
    if (actual !== file.sha256) throw new ZooChecksumError(folder, file.source, file.sha256, actual);
  }
  return bytes;
}

/**
 * Reads and checks a package folder without running anything: its description (spec 0.5 or 0.4), that it has ONNX
 * weights and a 2-D single-input interface, and the sha256 of the weights and test tensors.
 */
export function readZooPackage(folder: string): ZooPackage {
  const dir = resolve(folder);
  if (!existsSync(dir)) throw new ZooPackageError(dir, 'no such folder');
  const file = findDescriptionFile(dir);
  if (!file) throw new ZooPackageError(dir, `has no ${ZOO_DESCRIPTION_FILES.join(' or ')}`);
  const description = parseDescription(dir, file);
  if (!description.onnx) throw new ZooWeightsFormatError(dir, description.weightFormats);
  if (description.inputs.length !== 1) throw new ZooPackageError(dir, `has ${description.inputs.length} inputs; this project runs single-input models`);
  for (const tensor of [...description.inputs, ...description.outputs]) {
    const ids = tensor.axes.map((a) => a.id);
    if (!ids.includes('y') || !ids.includes('x')) throw new ZooPackageError(dir, `tensor "${tensor.id}" has axes ${ids.join('')}; y and x are needed`);
  }
  const unverifiedFiles: string[] = [];
  for (const used of [description.onnx, ...description.inputs.map((t) => t.testTensor), ...description.outputs.map((t) => t.testTensor)]) {
    readPackageFile(dir, used);
    if (!used.sha256) unverifiedFiles.push(used.source);
  }
  return { folder: dir, descriptionFile: file, description, unverifiedFiles };
}
