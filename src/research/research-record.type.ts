/**
 * What a researcher receives for one cohort member (SPEC §6): a per-study pseudonym, birth year,
 * gender and the RESEARCHER ✔ categories, with dates shifted per study. Nothing that identifies
 * the patient is a field here; birth year and gender are null where k-anonymity withholds them.
 */
import { Field, Int, ObjectType } from 'type-graphql';
import { Gender } from '../record/enums';
import { PageInfo } from '../record/pagination';
import type { StudyPseudonyms } from './pseudonym';

@ObjectType('ResearchRecord', { description: 'A pseudonymised cohort member: no name, BSN, birth date, address, patient number or database id.' })
export class ResearchRecord {
  @Field({ nullable: false, description: 'HMAC of the study and the patient: stable within the study, unlinkable across studies.' })
  pseudonym: string;

  @Field(() => Int, { nullable: true, description: 'Null when the birth-year/gender group is smaller than RESEARCH_MIN_GROUP_SIZE.' })
  birthYear: number | null;

  @Field(() => Gender, { nullable: true, description: 'Null when the birth-year/gender group is smaller than RESEARCH_MIN_GROUP_SIZE.' })
  gender: Gender | null;

  /** Not in the schema: the policy reads it to decide the categories of this record (shield's patientOf). */
  patientId: string;

  /** Not in the schema: the study's pseudonyms, for the ids of nested rows. */
  study: StudyPseudonyms;

  /** Not in the schema: this patient's date shift in this study, in days, for the dates of nested rows. */
  dateShiftDays: number;
}

@ObjectType('ResearchRecordConnection')
export class ResearchRecordConnection {
  @Field(() => [ResearchRecord], { nullable: false }) nodes: ResearchRecord[];
  @Field(() => PageInfo, { nullable: false }) pageInfo: PageInfo;
}
