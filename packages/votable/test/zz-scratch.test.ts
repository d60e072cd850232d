import { it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { tableFromArrays, documentFromTables, writeVOTable } from '@vokit/votable';
it('scratch', () => {
  const t = tableFromArrays({ name: 't', columns: {
    d: [0.1, NaN, null, -0, 1e300],
    f: { values: [0.1, 1/3, null, Infinity, -1e-45], datatype: 'float' },
    l: [9007199254740993n, -(2n**63n), null, 0n, 1n],
    i: { values: [1, null, -5, 7, 2147483647], datatype: 'int' },
    sh: { values: [1, null, -5, 7, 32767], datatype: 'short' },
    ub: { values: [1, null, 5, 7, 255], datatype: 'unsignedByte' },
    b: [true, false, null, true, false],
    bits: { values: [[true,false,true], [false,false,false], null, [true,true,true], [false,true,false]], datatype: 'bit', arraysize: '3' },
    c: ['abc', '', null, 'x y', 'a&b'],
    c4: { values: ['abcd', 'ab', null, '', 'z'], datatype: 'char', arraysize: '4' },
    u: ['Ωμέγα', '', null, 'plain', 'ü'],
    u3: { values: ['Ωμέ', 'a', null, '', 'ü'], datatype: 'unicodeChar', arraysize: '3' },
    cf: { values: [[1.5, -0.1], [0,0], null, [NaN, 2], [1,1]], datatype: 'floatComplex' },
    cd: { values: [[1.5, -0.1], [0,0], null, [NaN, 2], [1,1]], datatype: 'doubleComplex' },
    va: { values: [[1,2,3], [], null, [4], [5,6]], datatype: 'int', arraysize: '*' },
    fa: { values: [[1,2,3,4,5,6], [0,0,0,0,0,0], null, [1,1,1,1,1,1], [2,2,2,2,2,2]], datatype: 'double', arraysize: '2x3' },
    v3: { values: [[1,2,3,4,5,6], [], null, [7,8,9], [1,2,3]], datatype: 'short', arraysize: '3x*' },
    sa: { values: [['ab','cd'], ['x', ''], null, ['',''], ['abc','d']], datatype: 'char', arraysize: '3x2' },
  }});
  const doc = documentFromTables([t]);
  for (const s of ['TABLEDATA','BINARY','BINARY2'] as const) writeFileSync(`/tmp/wscratch/all-${s}.xml`, writeVOTable(doc, { serialization: s }));
  const k = t.fields.findIndex(f => f.name === 'sa'); t.fields.splice(k, 1); t.columns.splice(k, 1);
  for (const s of ['TABLEDATA','BINARY','BINARY2'] as const) writeFileSync(`/tmp/wscratch/ap-${s}.xml`, writeVOTable(doc, { serialization: s }));
});
