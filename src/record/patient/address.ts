import { Column } from 'typeorm';
import { Field, ObjectType } from 'type-graphql';

/** A postal address, stored as columns of its owner (CONTACT). */
@ObjectType('Address')
export class Address {
  @Field({ nullable: false }) @Column({ type: 'text', nullable: true }) street: string;
  @Field({ nullable: false }) @Column({ type: 'text', nullable: true }) houseNumber: string;
  @Field({ nullable: false }) @Column({ type: 'text', nullable: true }) postalCode: string;
  @Field({ nullable: false }) @Column({ type: 'text', nullable: true }) city: string;
  @Field({ nullable: false }) @Column({ type: 'text', nullable: true }) country: string;
}

/** The embedded columns as a GraphQL value, or null when no address is on file. */
export function presentAddress(address: Address | null | undefined): Address | null {
  return address && address.street ? address : null;
}
