import { Field, ID, InputType } from 'type-graphql';
import { ConsentChannel, ObjectionKind } from '../enums';

@InputType('SetConsentInput')
export class SetConsentInput {
  @Field(() => ID, { nullable: false }) patientId: string;
  @Field(() => ConsentChannel, { nullable: false }) channel: ConsentChannel;
  @Field({ nullable: false }) granted: boolean;
  /** Paper forms only: the second signatory (the child or the parent of a 12–15 year old). */
  @Field(() => String, { nullable: true }) coDecidedBy?: string | null;
}

@InputType('LodgeObjectionInput')
export class LodgeObjectionInput {
  @Field(() => ID, { nullable: false }) patientId: string;
  @Field(() => ObjectionKind, { nullable: false }) kind: ObjectionKind;
  /** SELF, PARTNER, FAMILY_MEMBER, PARENT, LEGAL_REPRESENTATIVE, … */
  @Field({ nullable: false }) lodgedByRelation: string;
  /** Reference to the evidence of authority when someone other than the patient objects. */
  @Field(() => String, { nullable: true }) evidenceRef?: string | null;
}
