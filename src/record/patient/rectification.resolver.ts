import { GraphQLResolveInfo } from 'graphql';
import { Arg, Ctx, ID, Info, Mutation, Resolver } from 'type-graphql';
import type { RequestContext } from '../../context';
import { recordedWrite } from '../../audit/recorded-write';
import { admittedPatient } from '../../policy/door';
import { AccessAction, DataCategory } from '../enums';
import { ContactDetailsInput, validateContactDetails } from './contact-details';
import { Patient } from './patient.entity';

/** Rectification of objective data: the patient's own contact details, or administration's. */
@Resolver()
export class RectificationResolver {
  @Mutation(() => Patient, { nullable: false })
  async updateContactDetails(
    @Arg('patientId', () => ID, { nullable: false }) _patientId: string,
    @Arg('input', () => ContactDetailsInput, { nullable: false }) input: ContactDetailsInput,
    @Ctx() ctx: RequestContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<Patient> {
    const details = validateContactDetails(input);
    const patient = admittedPatient(info);
    return recordedWrite(ctx, async (manager) => {
      const changed = Object.keys(details).join(', ');
      if (details.address) patient.address = { ...details.address };
      if (details.phone !== undefined) patient.phone = details.phone ?? null;
      if (details.email !== undefined) patient.email = details.email ?? null;
      await manager.save(patient);
      return { result: patient, event: { patientId: patient.id, action: AccessAction.UPDATE, categories: [DataCategory.CONTACT], detail: `contact details rectified: ${changed}` } };
    });
  }
}
