/** Validation of contact details a patient or administration may rectify. */
import { Field, InputType } from 'type-graphql';
import { badUserInput } from '../../errors';

@InputType('AddressInput')
export class AddressInput {
  @Field({ nullable: false }) street: string;
  @Field({ nullable: false }) houseNumber: string;
  @Field({ nullable: false }) postalCode: string;
  @Field({ nullable: false }) city: string;
  @Field({ nullable: false }) country: string;
}

@InputType('ContactDetailsInput')
export class ContactDetailsInput {
  @Field(() => AddressInput, { nullable: true }) address?: AddressInput | null;
  @Field(() => String, { nullable: true }) phone?: string | null;
  @Field(() => String, { nullable: true }) email?: string | null;
}

// Dutch postal codes: four digits (no leading zero) and two letters, except SA, SD and SS.
const DUTCH_POSTAL_CODE = /^[1-9][0-9]{3} ?(?!SA|SD|SS)[A-Z]{2}$/;
const PHONE = /^\+?[0-9][0-9 ()-]{5,19}$/;
const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,255}\.[A-Za-z]{2,}$/;
const TEXT = /^[\p{L}\p{N} .,'’()\-/]{1,100}$/u;

/** The input, validated and normalised; BAD_USER_INPUT (nothing written) when any part is wrong. */
export function validateContactDetails(input: ContactDetailsInput): ContactDetailsInput {
  if (!input.address && input.phone == null && input.email == null) throw badUserInput('nothing to update');
  const out: ContactDetailsInput = {};
  if (input.address) {
    const a = input.address;
    const country = a.country.trim().toUpperCase();
    if (!/^[A-Z]{2}$/.test(country)) throw badUserInput('address.country must be an ISO 3166 two-letter code');
    const postalCode = a.postalCode.trim().toUpperCase();
    if (country === 'NL' && !DUTCH_POSTAL_CODE.test(postalCode)) throw badUserInput('address.postalCode must be a Dutch postal code such as 2333 ZA');
    for (const [name, value] of [['street', a.street], ['houseNumber', a.houseNumber], ['city', a.city]] as const) {
      if (!TEXT.test(value.trim())) throw badUserInput(`address.${name} is not valid`);
    }
    out.address = {
      street: a.street.trim(), houseNumber: a.houseNumber.trim(), city: a.city.trim(), country,
      postalCode: country === 'NL' ? `${postalCode.slice(0, 4)} ${postalCode.slice(-2)}` : postalCode,
    };
  }
  if (input.phone != null) {
    if (!PHONE.test(input.phone.trim())) throw badUserInput('phone is not a telephone number');
    out.phone = input.phone.trim();
  }
  if (input.email != null) {
    if (!EMAIL.test(input.email.trim())) throw badUserInput('email is not an e-mail address');
    out.email = input.email.trim().toLowerCase();
  }
  return out;
}
