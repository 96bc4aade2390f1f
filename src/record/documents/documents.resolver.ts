import { Arg, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { In } from 'typeorm';
import type { RequestContext } from '../../context';
import { DocumentType } from '../enums';
import { Patient } from '../patient/patient.entity';
import { Practitioner } from '../practitioner/practitioner.entity';
import { ClinicalDocument } from './clinical-document.entity';

/** Clinical documents, filtered in SQL to the types whose category the caller may see. */
@Resolver(() => Patient)
export class PatientDocumentsResolver {
  @FieldResolver(() => [ClinicalDocument], { nullable: true })
  documents(
    @Root() p: Patient,
    @Ctx() ctx: RequestContext,
    @Arg('types', () => [DocumentType], { nullable: true }) types?: DocumentType[] | null,
  ): Promise<ClinicalDocument[]> {
    const allowed = ctx.access.documentTypes(p.id, types).sort();
    return ctx.loaders.rowsOf(ClinicalDocument, { authoredAt: 'DESC', id: 'ASC' }, p.id, { type: In(allowed) });
  }
}

@Resolver(() => ClinicalDocument)
export class ClinicalDocumentResolver {
  @FieldResolver(() => Practitioner)
  async author(@Root() doc: ClinicalDocument, @Ctx() ctx: RequestContext): Promise<Practitioner | null> {
    if (!doc.authorId) return null;
    return ctx.loaders.keyed(
      'practitionerById',
      async (ids) => new Map((await ctx.db.getRepository(Practitioner).findBy({ id: In(ids) })).map((p) => [p.id, p])),
      null,
      doc.authorId,
    );
  }
}
