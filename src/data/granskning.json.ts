// The review page's data (Granskning / Review): `rdi diff` of the current publication against the one
// named by RDI_PREVIOUS_PUBLICATION, or, without it, the latest year against the year before within the
// current publication. Published tables only; logic in scripts/site/review.ts.
import { publicationDirectory } from "../../scripts/site/publication.ts";
import { siteReview } from "../../scripts/site/review.ts";

const review = await siteReview(
  await publicationDirectory(),
  process.env.RDI_PREVIOUS_PUBLICATION || undefined,
);
process.stdout.write(`${JSON.stringify(review)}\n`);
