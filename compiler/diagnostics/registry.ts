// Every diagnostic the compiler can report, keyed by a stable code. Codes never change meaning once
// released; docs/diagnostics.md has a section per code (a test keeps the two in sync).
//
// Numbering: S0xxx syntax, S1xxx names and binding, S2xxx attributes and types, S3xxx values and ranges,
// S4xxx study structure, S5xxx warnings, S6xxx input files (errors). A template's `{0}`, `{1}`… are filled by `createDiagnostic`.

export type Severity = 'error' | 'warning';
export type Category = 'syntax' | 'names' | 'types' | 'values' | 'structure' | 'lint' | 'files';

export interface DiagnosticDefinition {
  code: string;
  severity: Severity;
  category: Category;
  messageTemplate: string;
}

function define(code: string, severity: Severity, category: Category, messageTemplate: string): DiagnosticDefinition {
  return { code, severity, category, messageTemplate };
}

export const Diagnostics = {
  lexerError: define('S0001', 'error', 'syntax', '{0}'),
  syntaxError: define('S0002', 'error', 'syntax', '{0}'),

  unknownName: define('S1001', 'error', 'names', "unknown name '{0}'"),
  duplicateName: define('S1002', 'error', 'names', "'{0}' is already declared"),
  wrongKindOfName: define('S1003', 'error', 'names', "'{0}' is a {1}, but {2} is expected here"),
  unknownBuiltin: define('S1004', 'error', 'names', "unknown {0} '{1}'"),
  unknownSplit: define('S1005', 'error', 'names', "'{0}' is not a split of a distribution (use train, val or test)"),
  unknownFunction: define('S1006', 'error', 'names', "unknown function '{0}' in expect"),
  unboundIndex: define('S1007', 'error', 'names', "unbound index '{0}'"),
  unknownMember: define('S1008', 'error', 'names', "'{0}' is not a member of the family '{1}'"),
  wrongIndexCount: define('S1009', 'error', 'names', "'{0}' takes {1} index value(s), got {2}"),
  indexShadowsDeclaration: define('S1010', 'error', 'names', "index '{0}' shadows the declaration '{0}'"),
  wildcardOutsideList: define(
    'S1011',
    'error',
    'names',
    "'{0}[*]' stands for every member, so it can only be an item of a list",
  ),

  unknownAttribute: define('S2001', 'error', 'types', "unknown attribute '{0}' for {1}"),
  wrongValueType: define('S2002', 'error', 'types', "'{0}' expects {1}"),
  missingAttribute: define('S2003', 'error', 'types', "{0} needs '{1}'"),
  duplicateAttribute: define('S2004', 'error', 'types', "attribute '{0}' is given more than once"),
  wrongArgumentCount: define('S2005', 'error', 'types', '{0} takes {1}, got {2}'),
  frozenStrategy: define('S2013', 'error', 'types', "'{0}' is a frozen backbone: strategy {1} would train it"),
  frozenModelTrained: define('S2014', 'error', 'types', "'{0}' is a frozen backbone and cannot be trained as {1}"),
  initArchitecture: define(
    'S2015',
    'error',
    'types',
    "'{0}' is an untrained architecture ({1}); init takes a pretrain, baseline, arm or frozen backbone",
  ),
  frozenHeadKept: define(
    'S2020',
    'error',
    'types',
    "'{0}' is a frozen backbone: it has no head to keep (a probe over it trains a new linear head)",
  ),
  wrongArgumentKind: define('S2017', 'error', 'types', "argument '{0}' of '{1}' must be {2}"),
  unexpectedGroups: define('S2018', 'error', 'types', "'{0}' takes no groups: only worst_group_accuracy has 'by [..]'"),

  outOfRange: define('S3001', 'error', 'values', "'{0}' must be {1}, got {2}"),
  checkpointBeyondEpochs: define('S3002', 'error', 'values', 'checkpoint {0} is beyond the last epoch ({1})'),
  emptyIndexList: define('S3003', 'error', 'values', "index '{0}' has no values"),
  duplicateIndexValue: define('S3004', 'error', 'values', "index '{0}' lists {1} more than once"),
  nonLiteralIndexValue: define(
    'S3005',
    'error',
    'values',
    "index '{0}' takes literal values (numbers, percentages, strings, names), not {1}",
  ),

  initCycle: define('S4001', 'error', 'structure', 'reference cycle: {0}'),
  inputShapeMismatch: define('S4002', 'error', 'structure', "model '{0}' ({1}) cannot take {2} from '{3}'"),
  classCountMismatch: define('S4003', 'error', 'structure', '{0} has {1} classes, but {2} has {3}'),
  tooFewLinePoints: define(
    'S4004',
    'error',
    'structure',
    "baseline '{0}' yields {1} point(s) for the line; at least 3 are needed for a fit with an interval",
  ),
  missingGroupAttribute: define('S4005', 'error', 'structure', "'{0}' does not carry the attribute '{1}'"),
  unknownResult: define('S4006', 'error', 'structure', "'{0}' names no comparison result"),
  shiftShapeMismatch: define('S4007', 'error', 'structure', "shift '{0}' joins data of different shapes ({1} vs {2})"),
  initShapeMismatch: define(
    'S4008',
    'error',
    'structure',
    "'{0}' starts from '{1}', trained on {2}, but trains on '{3}' ({4})",
  ),
  distributionCycle: define('S4009', 'error', 'structure', 'distribution cycle: {0}'),
  measuredShapeMismatch: define(
    'S4016',
    'error',
    'structure',
    "'{0}' was trained on {1}, but is measured on '{2}' ({3})",
  ),
  splitSourceElsewhere: define(
    'S4019',
    'error',
    'structure',
    "split '{0}' draws its reference side from '{1}', which is not the shift's reference '{2}'",
  ),
  trainingOnlyAttribute: define(
    'S4018',
    'error',
    'structure',
    "arm '{0}' sets '{1}', which shapes training, but it does not train (it has no 'train')",
  ),
  familyValuesDiffer: define(
    'S4010',
    'error',
    'structure',
    "index '{0}' ranges over {1} in '{2}' but over {3} in '{4}'",
  ),
  frozenOnVectors: define('S4013', 'error', 'structure', "frozen backbone '{0}' reads images, but '{1}' holds {2}"),
  augmentOverFrozen: define(
    'S4020',
    'error',
    'structure',
    "'{0}' trains on cached features of frozen backbone '{1}', but '{2}' augments per batch, which cached features cannot show",
  ),

  unusedDeclaration: define('S5001', 'warning', 'lint', "{0} '{1}' is never used"),
  selectionOnShiftedData: define(
    'S5002',
    'warning',
    'lint',
    "model selection reads '{0}', the shifted side of shift '{1}'",
  ),
  shiftKindContradicted: define(
    'S5003',
    'warning',
    'lint',
    "shift '{0}' is declared {1}, but its transforms make it {2}",
  ),

  inputFileMissing: define('S6001', 'error', 'files', 'input file not found: {0}'),
  inputFileUnreadable: define('S6002', 'error', 'files', 'cannot read input file {0}: {1}'),
  modelFileFormat: define('S6005', 'error', 'files', 'not a usable model file: {0}'),
  modelInputMismatch: define('S6006', 'error', 'files', "the model's input does not fit: {0}"),
  unknownModelOutput: define('S6007', 'error', 'files', 'unknown model output: {0}'),
  missingWeightShard: define('S6008', 'error', 'files', 'weight shard missing: {0}'),
  reweightOnShiftedData: define(
    'S5004',
    'warning',
    'lint',
    "deep feature reweighting is fitted on '{0}', the shifted side of the compared shift '{1}': it adapts to the target",
  ),
} as const satisfies Record<string, DiagnosticDefinition>;

export type DiagnosticName = keyof typeof Diagnostics;

export const allDefinitions: readonly DiagnosticDefinition[] = Object.values(Diagnostics);
