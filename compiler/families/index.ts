// Declaration families: expansion into members before binding, and member names in diagnostics.
export { expandFamilies, familyExpansionReports, type Expansion } from './expand.ts';
export { nameMembers } from './members.ts';
