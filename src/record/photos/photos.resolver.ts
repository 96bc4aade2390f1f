import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../context';
import { Role } from '../enums';
import { Patient } from '../patient/patient.entity';
import { MedicalPhoto } from './medical-photo.entity';

/**
 * Medical photographs. One that identifies the patient needs written PHOTOGRAPHY consent on
 * file ([000]); without it only the patient sees it.
 */
@Resolver(() => Patient)
export class PhotosResolver {
  @FieldResolver(() => [MedicalPhoto], { nullable: true })
  async photographs(@Root() p: Patient, @Ctx() ctx: RequestContext): Promise<MedicalPhoto[]> {
    const photos = await ctx.loaders.rowsOf(MedicalPhoto, { takenAt: 'DESC' }, p.id);
    if (ctx.principal.role === Role.PATIENT || !photos.some((ph) => ph.identifiable)) return photos;
    const consented = await ctx.loaders.keyed('photographyConsent', async (ids) => {
      const rows: Array<{ patient_id: string }> = await ctx.db.query(
        `SELECT DISTINCT patient_id FROM consent WHERE patient_id = ANY($1::uuid[]) AND channel = 'PHOTOGRAPHY' AND granted AND confirmed_at IS NOT NULL AND withdrawn_at IS NULL`,
        [ids],
      );
      return new Map(rows.map((r) => [r.patient_id, true]));
    }, false, p.id);
    return consented ? photos : photos.filter((ph) => !ph.identifiable);
  }
}
