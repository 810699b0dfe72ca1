// The entity types the core emits (src/output.rs), in the order the legend shows them.
export const LABELS = [
  { label: 'PER', name: 'Person', plural: 'People' },
  { label: 'ORG', name: 'Organisation', plural: 'Organisations' },
  { label: 'LOC', name: 'Place', plural: 'Places' },
  { label: 'MISC', name: 'Other name', plural: 'Other names' },
  { label: 'DATE', name: 'Date', plural: 'Dates' },
  { label: 'TIME', name: 'Time', plural: 'Times' },
  { label: 'MONEY', name: 'Money', plural: 'Amounts of money' },
  { label: 'PERCENT', name: 'Percentage', plural: 'Percentages' },
  { label: 'CARDINAL', name: 'Number', plural: 'Numbers' },
  { label: 'ORDINAL', name: 'Ordinal', plural: 'Ordinals' },
];

export const LABEL_NAME = Object.fromEntries(LABELS.map((l) => [l.label, l.name]));
