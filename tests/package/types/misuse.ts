// Must NOT compile (tests/package/types.test.mjs): proves the compile check reads the package's
// types rather than accepting anything.
import { annotateSync } from 'pressmark';

const doc = annotateSync('Ana Ruiz spoke.');
const label: 'PERSON' = doc.entities[0]!.label; // labels are PER, ORG, …
console.log(label, doc.quotes[0]!.speaker.text); // speaker may be null
