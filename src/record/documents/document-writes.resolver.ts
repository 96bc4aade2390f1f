import { GraphQLResolveInfo } from 'graphql';
import { Arg, Ctx, Field, ID, Info, InputType, Mutation, Resolver } from 'type-graphql';
import type { RequestContext } from '../../context';
import { recordedWrite } from '../../audit/recorded-write';
import { badUserInput, forbidden } from '../../errors';
import { admittedPatient } from '../../policy/door';
import { DOCUMENT_CATEGORY } from '../../policy/vocabulary';
import { AccessAction, DataCategory, DocumentType } from '../enums';
import { Practitioner } from '../practitioner/practitioner.entity';
import { ClinicalDocument } from './clinical-document.entity';

const PATIENT_DOCUMENTS = new Set([DocumentType.PATIENT_STATEMENT, DocumentType.SECOND_OPINION]);
const MAX_TITLE = 200;
const MAX_BODY = 100_000;

@InputType('AddClinicalDocumentInput')
export class AddClinicalDocumentInput {
  @Field(() => ID, { nullable: false }) patientId: string;
  @Field(() => DocumentType, { nullable: false }) type: DocumentType;
  @Field({ nullable: false }) title: string;
  @Field({ nullable: false }) body: string;
  /** A section about another person (THIRD_PARTY: the treating clinician's only). */
  @Field(() => String, { nullable: true }) thirdPartySection?: string | null;
}

function text(name: string, value: string, max: number): string {
  const trimmed = value.trim();
  if (trimmed.length === 0 || value.length > max) throw badUserInput(`${name} must be 1 to ${max} characters`);
  return trimmed;
}

/**
 * Adding to the record: the patient's statement or second opinion (never editable by staff; a
 * database trigger refuses edits), and a treating clinician's document within their gate.
 */
@Resolver()
export class DocumentWritesResolver {
  @Mutation(() => ClinicalDocument, { nullable: false })
  async addPatientStatement(
    @Arg('patientId', () => ID, { nullable: false }) _patientId: string,
    @Arg('title', { nullable: false }) title: string,
    @Arg('text', { nullable: false }) body: string,
    @Ctx() ctx: RequestContext,
    @Info() info: GraphQLResolveInfo,
    @Arg('type', () => DocumentType, { nullable: true, description: 'PATIENT_STATEMENT (default) or SECOND_OPINION.' }) type?: DocumentType | null,
  ): Promise<ClinicalDocument> {
    const kind = type ?? DocumentType.PATIENT_STATEMENT;
    if (!PATIENT_DOCUMENTS.has(kind)) throw badUserInput('type must be PATIENT_STATEMENT or SECOND_OPINION');
    const values = { title: text('title', title, MAX_TITLE), body: text('text', body, MAX_BODY) };
    const patient = admittedPatient(info);
    return recordedWrite(ctx, async (manager) => {
      const doc = await manager.save(manager.create(ClinicalDocument, {
        patientId: patient.id, type: kind, ...values, authoredAt: new Date(), authorId: null, thirdPartySection: null, submittedBy: ctx.principal.subject,
      }));
      return { result: doc, event: { patientId: patient.id, action: AccessAction.CREATE, categories: [DataCategory.CLINICAL_NOTES], detail: `${kind} added` } };
    });
  }

  @Mutation(() => ClinicalDocument, { nullable: false })
  async addClinicalDocument(@Arg('input', { nullable: false }) input: AddClinicalDocumentInput, @Ctx() ctx: RequestContext, @Info() info: GraphQLResolveInfo): Promise<ClinicalDocument> {
    if (PATIENT_DOCUMENTS.has(input.type)) throw badUserInput('patient statements and second opinions are added by the patient');
    const values = {
      title: text('title', input.title, MAX_TITLE),
      body: text('body', input.body, MAX_BODY),
      thirdPartySection: input.thirdPartySection == null ? null : text('thirdPartySection', input.thirdPartySection, MAX_BODY),
    };
    const patient = admittedPatient(info);
    const category = DOCUMENT_CATEGORY[input.type];
    return recordedWrite(ctx, async (manager) => {
      const author = await manager.findOneBy(Practitioner, { subject: ctx.principal.subject });
      if (!author) throw forbidden();
      const doc = await manager.save(manager.create(ClinicalDocument, {
        patientId: patient.id, type: input.type, ...values, authoredAt: new Date(), authorId: author.id, submittedBy: null,
      }));
      const categories = values.thirdPartySection ? [category, DataCategory.THIRD_PARTY] : [category];
      return { result: doc, event: { patientId: patient.id, action: AccessAction.CREATE, categories, detail: `${input.type} added` } };
    });
  }
}
