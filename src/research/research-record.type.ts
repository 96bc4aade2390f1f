/**
 * What a researcher receives for one cohort member (SPEC §6): a per-study pseudonym, birth year,
 * gender and the RESEARCHER ✔ categories. Nothing that identifies the patient is a field here.
 */
import { Field, Int, ObjectType } from 'type-graphql';
import { Gender } from '../record/enums';
import { PageInfo } from '../record/pagination';
import type { StudyPseudonyms } from './pseudonym';

@ObjectType('ResearchRecord', { description: 'A pseudonymised cohort member: no name, BSN, birth date, address, patient number or database id.' })
export class ResearchRecord {
  @Field({ nullable: false, description: 'HMAC of the study and the patient: stable within the study, unlinkable across studies.' })
  pseudonym: string;

  @Field(() => Int, { nullable: false })
  birthYear: number;

  @Field(() => Gender, { nullable: false })
  gender: Gender;

  /** Not in the schema: the policy reads it to decide the categories of this record (shield's patientOf). */
  patientId: string;

  /** Not in the schema: the study's pseudonyms, for the ids of nested rows. */
  study: StudyPseudonyms;
}

@ObjectType('ResearchRecordConnection')
export class ResearchRecordConnection {
  @Field(() => [ResearchRecord], { nullable: false }) nodes: ResearchRecord[];
  @Field(() => PageInfo, { nullable: false }) pageInfo: PageInfo;
}
