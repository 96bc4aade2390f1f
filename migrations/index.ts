/** The migrations, in order. Never edit one after it has landed: add a new one. */
import { InitialRecord1795371372124 } from './1795371372124-InitialRecord';
import { RecordIntegrity1795371372200 } from './1795371372200-RecordIntegrity';
import { RecordLifecycle1795371840932 } from './1795371840932-RecordLifecycle';
import { IssuedTokens1795372473692 } from './1795372473692-IssuedTokens';
import { RateLimitAndRevocation1795372599837 } from './1795372599837-RateLimitAndRevocation';
import { ResearchStudyRegistry1795373112406 } from './1795373112406-ResearchStudyRegistry';
import { OneDecisionInForce1795373600000 } from './1795373600000-OneDecisionInForce';
import { VerifiableAccessLog1795373700000 } from './1795373700000-VerifiableAccessLog';

export const MIGRATIONS = [
  InitialRecord1795371372124, RecordIntegrity1795371372200, RecordLifecycle1795371840932, IssuedTokens1795372473692, RateLimitAndRevocation1795372599837,
  ResearchStudyRegistry1795373112406, OneDecisionInForce1795373600000, VerifiableAccessLog1795373700000,
];
