export {
  DALAbortError,
  DALError,
  DALFormatError,
  DALNetworkError,
  DALOptionsError,
  DALOverflowWarning,
  DALQueryError,
  DALServiceError,
  DALTimeoutError,
  MAX_SERVER_MESSAGE,
  UWSError,
  truncateMessage,
  type DALErrorDetails,
  type WarningHandler,
} from './errors.js';
export { Deadline, toSearchParams, withParams, type FetchLike, type HttpOptions, type ParamMap } from './http.js';
export { queryStatusOf, raiseForStatus, type QueryStatus } from './status.js';
export { DALResults, Record, findResultsTable, type ResultsOptions } from './results.js';
export { DALQuery, runQuery, fetchVOTable, type QueryOptions } from './query.js';
export {
  ADQLFragment,
  adql,
  box,
  circle,
  coneCondition,
  identifier,
  interval,
  isRegularIdentifier,
  literal,
  numberLiteral,
  point,
  polygon,
  pqlRange,
  quoteIdentifier,
  stringLiteral,
} from './adql.js';
export { toRaDec, type SkyPosition } from './position.js';
export { SCSQuery, SCSRecord, SCSResults, SCSService, type SCSSearchOptions } from './scs.js';
export { SIAQuery, SIARecord, SIAResults, SIAService, type SIASearchOptions } from './sia.js';
export {
  ObsCoreRecord,
  SIA2Query,
  SIA2Results,
  SIA2Service,
  formatPos,
  sia2Params,
  toMjd,
  type SIA2Interval,
  type SIA2Pos,
  type SIA2SearchOptions,
  type SIA2Time,
} from './sia2.js';
export { SSAQuery, SSARecord, SSAResults, SSAService, type SSASearchOptions } from './ssa.js';
export { SLAPQuery, SLAPRecord, SLAPResults, SLAPService, type SLAPSearchOptions } from './slap.js';
export { SimpleDALService, type SimpleSearchOptions } from './simple-service.js';
export { parseServiceParameters, validateServiceParameters, type ServiceParameter } from './service-params.js';
export { AsyncTAPJob, TAPResults, TAPService, type RunAsyncOptions, type TAPQueryOptions } from './tap.js';
export {
  AsyncJob,
  ACTIVE_PHASES,
  FINAL_PHASES,
  parseJob,
  parseJobList,
  type JobInfo,
  type JobRef,
  type JobResult,
  type UWSPhase,
  type WaitOptions,
} from './uws.js';
export { isFileSource, prepareUploads, resolveUploads, type UploadOptions, type UploadSource } from './upload.js';
export { BatchedResults, concatColumns, sliceTable, uploadInBatches, type UploadBatchesOptions } from './batch-upload.js';
export {
  accessUrlOf,
  hasLanguageFeature,
  hasStandard,
  parseAvailability,
  parseCapabilities,
  parseExamples,
  parseTables,
  type AccessUrl,
  type Availability,
  type Capability,
  type Example,
  type ForeignKey,
  type Interface,
  type Language,
  type LanguageFeature,
  type Limit,
  type SchemaDesc,
  type TableColumn,
  type TableDesc,
} from './vosi.js';
export { cachedataset, getdataset, safeFilename, suggestedFilename, type CacheOptions, type Dataset } from './dataset.js';
export { fanout, type FanoutOptions, type FanoutReport, type FanoutTask } from './fanout.js';
export {
  EM_WAVELENGTHS,
  findFieldsByUcd,
  parseUcd,
  sedColumns,
  spectralToWavelength,
  ucdMatches,
  ucdToWavelength,
  type SedColumn,
  type UcdWord,
} from './ucd.js';
