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
    const [consent] = await ctx.db.query(
      `SELECT 1 FROM consent WHERE patient_id = $1 AND channel = 'PHOTOGRAPHY' AND granted AND confirmed_at IS NOT NULL AND withdrawn_at IS NULL LIMIT 1`,
      [p.id],
    );
    return consent ? photos : photos.filter((ph) => !ph.identifiable);
  }
}
