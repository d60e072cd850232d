export type {
  ArraySize,
  Coosys,
  DataSource,
  Datatype,
  Field,
  Group,
  GroupRef,
  Info,
  Limit,
  Link,
  Param,
  Resource,
  Serialization,
  Table,
  Timesys,
  Values,
  ValuesOption,
  VOTableDocument,
  VOTableVersion,
} from './model.js';
export { VOTABLE_NAMESPACES } from './model.js';
export { Column, type CellValue, type ColumnParts, type ColumnValues, type Complex } from './column.js';
export { ColumnBuilder } from './column-builder.js';
export {
  DATATYPE_BYTES,
  cellLayout,
  formatArraySize,
  isComplexType,
  isStringType,
  parseArraySize,
  parseDatatype,
  type CellLayout,
} from './datatypes.js';
export {
  ArraySizeError,
  BinaryDecodeError,
  FitsError,
  OptionsError,
  SecurityError,
  StreamReferenceError,
  TruncatedError,
  UnknownDatatypeError,
  ValueError,
  VOTableError,
  VOTableStructureError,
  VOTableXMLError,
  WriteError,
  type ErrorLocation,
} from './errors.js';
export {
  writeVOTable,
  writeVOTableBytes,
  writeVOTableStream,
  type WriteOptions,
  type WriteSerialization,
} from './writer.js';
export { createCellFormatter, formatCellValue, formatDouble, formatFloat, type CellFormatter } from './cell-format.js';
export { escapeXmlAttribute, escapeXmlText, type InvalidCharacterPolicy } from './xml-escape.js';
export { chooseNullSentinel, type StringOverflowPolicy } from './binary-writer.js';
export {
  documentFromTables,
  tableFromArrays,
  type CellInput,
  type ColumnSpec,
  type DocumentFromTablesOptions,
  type TableFromArraysOptions,
  type TypedArray,
} from './table-from.js';
export { Base64Decoder, decodeBase64, encodeBase64, maxDecodedLength, type Base64EncodeOptions } from './base64.js';
export {
  BINARY_DECODER_HOST,
  createBinaryDecoder,
  type BinaryDecoderFactory,
  type BinaryDecoderHost,
  type BinaryStreamDecoder,
  type BinaryStreamOptions,
} from './binary.js';
export type { BinaryCellPlan, BinaryRowPlan, RowShortfall } from './binary-layout.js';
export {
  readFitsHdus,
  readFitsTable,
  type FitsCard,
  type FitsHdu,
  type FitsHeader,
  type FitsTable,
  type FitsTableOptions,
  type FitsValue,
} from './fits.js';
export {
  decodeStreamEncoding,
  readStreamHref,
  resolveStreamHref,
  resolveStreamUrl,
  type StreamHrefOptions,
  type StreamResolver,
} from './stream-href.js';
export {
  DEFAULT_BATCH_ROWS,
  parseVOTable,
  parseVOTableSync,
  streamVOTable,
  VOTableParser,
  type ParseOptions,
  type VOTableEvent,
  type VOTableInput,
} from './parse.js';
export { getFirstTable, iterInfos, iterTables, queryStatus, type QueryStatus } from './document.js';
export { getColumn, rowKeys, tableRows, type Row } from './row-view.js';
export {
  appendCellText,
  parseBooleanText,
  parseCellText,
  parseFloatText,
  parseIntegerText,
  type CellContext,
} from './cell-text.js';
export { TableDataDecoder, type TableDataOptions } from './tabledata.js';
export { XmlScanner, type XmlEndTag, type XmlScannerOptions, type XmlStartTag, type XmlText, type XmlToken } from './xml-scanner.js';
export { sliceColumn } from './column-slice.js';
