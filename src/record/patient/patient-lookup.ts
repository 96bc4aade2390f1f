/**
 * Finding a patient through the gate. An absent patient and one outside the caller's gate give
 * the same NOT_FOUND, and both are recorded as refused lookups in the access log.
 */
import { FindOptionsWhere } from 'typeorm';
import type { RequestContext } from '../../context';
import { badUserInput, notFound } from '../../errors';
import { Patient } from './patient.entity';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Validates a patient id argument. */
export function patientIdArg(id: string): string {
  if (!UUID.test(id)) throw badUserInput('id is not a valid patient id');
  return id.toLowerCase();
}

/** The patient matching `where` if it exists and lies inside the caller's gate; NOT_FOUND otherwise. */
export async function admittedPatient(ctx: RequestContext, where: FindOptionsWhere<Patient>): Promise<Patient> {
  const patient = await ctx.db.getRepository(Patient).findOne({ where });
  if (!patient) {
    ctx.recorder.refused(null, 'no such patient');
    throw notFound();
  }
  const [admitted] = await ctx.access.admit([patient]);
  if (!admitted) throw notFound();
  return admitted;
}

/** The patient the caller's own token stands for (PATIENT role): its subject is the patientNumber. */
export function ownPatient(ctx: RequestContext): Promise<Patient> {
  return admittedPatient(ctx, { patientNumber: ctx.principal.subject });
}
