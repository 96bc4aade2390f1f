import { Field, ID, InputType } from 'type-graphql';

@InputType('DestructionRequestInput')
export class DestructionRequestInput {
  @Field(() => ID, { nullable: false }) patientId: string;
  /** Categories and/or rows to destroy, e.g. "PHOTOS LAB:<id>". */
  @Field({ nullable: false }) scope: string;
  @Field({ nullable: false }) reason: string;
}
