import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../context';
import { Patient } from '../patient/patient.entity';
import { Allergy } from './allergy.entity';
import { Diagnosis } from './diagnosis.entity';
import { Encounter } from './encounter.entity';
import { FamilyHistoryEntry } from './family-history-entry.entity';
import { Medication } from './medication.entity';
import { SpecialCategoryData } from './special-category-data.entity';
import { TransfusionRecord } from './transfusion-record.entity';

/** The clinical parts of the record. Thin: they load; the policy has already decided. */
@Resolver(() => Patient)
export class ClinicalResolver {
  @FieldResolver(() => [Encounter], { nullable: true })
  encounters(@Root() p: Patient, @Ctx() ctx: RequestContext): Promise<Encounter[]> {
    return ctx.loaders.rowsOf(Encounter, { start: 'DESC' }, p.id);
  }

  @FieldResolver(() => [Diagnosis], { nullable: true })
  diagnoses(@Root() p: Patient, @Ctx() ctx: RequestContext): Promise<Diagnosis[]> {
    return ctx.loaders.rowsOf(Diagnosis, { recordedAt: 'DESC' }, p.id);
  }

  @FieldResolver(() => [Allergy], { nullable: true })
  allergies(@Root() p: Patient, @Ctx() ctx: RequestContext): Promise<Allergy[]> {
    return ctx.loaders.rowsOf(Allergy, { substance: 'ASC' }, p.id);
  }

  @FieldResolver(() => [Medication], { nullable: true })
  medications(@Root() p: Patient, @Ctx() ctx: RequestContext): Promise<Medication[]> {
    return ctx.loaders.rowsOf(Medication, { start: 'DESC' }, p.id);
  }

  @FieldResolver(() => [FamilyHistoryEntry], { nullable: true })
  familyHistory(@Root() p: Patient, @Ctx() ctx: RequestContext): Promise<FamilyHistoryEntry[]> {
    return ctx.loaders.rowsOf(FamilyHistoryEntry, { relationship: 'ASC', id: 'ASC' }, p.id);
  }

  @FieldResolver(() => SpecialCategoryData)
  specialCategories(@Root() p: Patient, @Ctx() ctx: RequestContext): Promise<SpecialCategoryData | null> {
    return ctx.loaders.oneOf(SpecialCategoryData, p.id);
  }

  @FieldResolver(() => TransfusionRecord)
  transfusion(@Root() p: Patient, @Ctx() ctx: RequestContext): Promise<TransfusionRecord | null> {
    return ctx.loaders.oneOf(TransfusionRecord, p.id);
  }
}
