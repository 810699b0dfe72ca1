// A hand-made annotate() result for www/sample.txt, in the wire schema (src/output.rs), so the
// page's rendering, panel, filters and exports can be tested whatever the core returns today.
// Spans are found by searching the text, so offsets are right by construction.

const ENTITIES = [
  ['Kessling', 'LOC'], ['€420 million', 'MONEY'], ['KESSLING', 'LOC'], ['Netherlands', 'LOC'],
  ['European Investment Bank', 'ORG'], ['Tuesday', 'DATE'], ['€420 million', 'MONEY'],
  ['Port of Kessling', 'ORG'], ['38%', 'PERCENT'], ['2030', 'DATE'], ['Luxembourg', 'LOC'],
  ['March 4', 'DATE'], ['€870 million', 'MONEY'], ['Dutch', 'MISC'], ['Nordhaven Logistics', 'ORG'],
  ['Danish', 'MISC'], ['two', 'CARDINAL'], ['Kessling', 'LOC'], ['Marieke Dassen', 'PER'],
  ['twenty years', 'DATE'], ['Dassen', 'PER'], ['first', 'ORDINAL'], ['the autumn of 2027', 'DATE'],
  ['1.4 million', 'CARDINAL'], ['Tomas Verhoef', 'PER'], ['FNV', 'ORG'], ['Verhoef', 'PER'],
  ['340', 'CARDINAL'], ['1,150', 'CARDINAL'], ['2.1%', 'PERCENT'], ['2019', 'DATE'],
  ['Anouk Brinkman', 'PER'], ['University of Groningen', 'ORG'], ['three', 'CARDINAL'],
  ['Europe', 'LOC'], ['Hamburg', 'LOC'], ['12%', 'PERCENT'], ['the first five years', 'DATE'],
  ['Kessling', 'LOC'], ['Dutch', 'MISC'], ['Pieter Olthof', 'PER'], ['Wednesday', 'DATE'],
  ['€150 million', 'MONEY'], ['June', 'DATE'], ['Tuesday evening', 'TIME'], ['Dassen', 'PER'],
  ['11 p.m.', 'TIME'], ['Verhoef', 'PER'], ['412', 'CARDINAL'], ['Dassen', 'PER'], ['March 18', 'DATE'],
  ['Nordhaven Logistics', 'ORG'], ['3.4%', 'PERCENT'], ['Copenhagen', 'LOC'], ['the first quarter', 'DATE'],
];

// [content, speaker mention (searched after the content) or null, speaker_name, cue, flags]
const QUOTES = [
  ['This is the largest single investment Kessling has seen since the dykes were rebuilt,', 'Marieke Dassen', 'Marieke Dassen', 'said', { group: 1 }],
  ['We are not choosing between jobs and the climate. We are choosing to still be here in twenty years.', null, 'Marieke Dassen', null, { group: 1, speakerFrom: 0 }],
  ['automation dressed up in green paint.', null, 'Tomas Verhoef', 'called', { partial: true, speakerBefore: 'Tomas Verhoef' }],
  ['They promise retraining,', 'Verhoef', 'Tomas Verhoef', 'said', { group: 2 }],
  ['but nobody has told us who will be retrained, for what, or who pays for it.', null, 'Tomas Verhoef', null, { group: 2, speakerFrom: 3 }],
  ['Automation rarely removes work outright. It moves it,', 'she', 'Anouk Brinkman', 'said', { group: 3 }],
  ['The question for Kessling is whether the new jobs go to the people who lost the old ones.', null, 'Anouk Brinkman', null, { group: 3, speakerFrom: 5 }],
  ['a vote of confidence in the north', null, 'Pieter Olthof', 'describing it as', { partial: true, speakerBefore: 'Pieter Olthof' }],
  ['We built this port. Our fathers unloaded grain here by hand, and our children expect to work here after us.\n\n“We do not ask the port to stand still. We ask to be part of what comes next, in writing, before the first crane is switched on.', null, 'Tomas Verhoef', 'read out', { speakerBefore: 'Verhoef, speaking' }],
  ['I can promise a seat at the table,', 'she', 'Marieke Dassen', 'said', {}],
];

export function sampleResult(text) {
  const entities = [];
  let from = 0;
  for (const [t, label] of ENTITIES) {
    const start = text.indexOf(t, from);
    if (start < 0) throw new Error(`fixture: "${t}" not found after ${from}`);
    entities.push({ start, end: start + t.length, label, text: t, confidence: 0.9 });
    from = start + t.length;
  }
  const span = (start, t) => ({ start, end: start + t.length, text: t });
  const quotes = [];
  from = 0;
  for (const [t, mention, name, cue, flags] of QUOTES) {
    const start = text.indexOf(t, from);
    if (start < 0) throw new Error(`fixture: quote "${t.slice(0, 30)}" not found`);
    let speaker = null;
    if (mention) speaker = span(text.indexOf(mention, start + t.length), mention);
    else if (flags.speakerFrom !== undefined) speaker = quotes[flags.speakerFrom].speaker;
    else if (flags.speakerBefore) {
      const m = flags.speakerBefore.split(',')[0];
      speaker = span(text.lastIndexOf(m, start), m);
    }
    const cueAt = cue ? text.indexOf(cue, speaker && speaker.start < start ? speaker.end : start + t.length) : -1;
    const q = {
      start, end: start + t.length, text: t, speaker, speaker_name: name,
      cue: cueAt >= 0 ? span(cueAt, cue) : null, direct: true, confidence: 0.85,
    };
    if (flags.partial) q.partial = true;
    if (flags.group) q.group = flags.group;
    quotes.push(q);
    from = start + t.length;
  }
  return { entities, quotes, scare_quotes: [] };
}
