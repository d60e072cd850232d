// A synthetic document packing the hard cases for a tokenizer into a few hundred bytes.
export const SYNTHETIC = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE VOTABLE [
  <!ENTITY inst "Observatoire &amp; Co">
  <!-- a comment with <tags> and "quotes" -->
]>
<!-- before the root -->
<vot:VOTABLE version="1.3" xmlns:vot="http://www.ivoa.net/xml/VOTable/v1.3" xmlns:x="urn:other">
 <vot:DESCRIPTION><![CDATA[A <b>CDATA</b> ]] section]]> and &inst; — ünïcödé 𝄞</vot:DESCRIPTION>
 <x:foreign a="1"><vot:TABLE/></x:foreign>
 <vot:RESOURCE type="results">
  <vot:INFO name="QUERY_STATUS" value="OK">fine &#x263A; &#9731;</vot:INFO>
  <vot:TABLE name="t&apos;1">
   <vot:FIELD name="id" datatype="long"><vot:VALUES null="-1"/></vot:FIELD>
   <vot:FIELD name="ra" datatype="double" unit="deg"/>
   <vot:FIELD name="mag" datatype="float"/>
   <vot:FIELD name="ok" datatype="boolean"/>
   <vot:FIELD name="name" datatype="char" arraysize="*"/>
   <vot:FIELD name="uname" datatype="unicodeChar" arraysize="8"/>
   <vot:FIELD name="vec" datatype="double" arraysize="3"/>
   <vot:FIELD name="flags" datatype="bit" arraysize="4"/>
   <vot:FIELD name="z" datatype="doubleComplex"/>
   <vot:DATA><vot:TABLEDATA>
    <vot:TR><vot:TD>9223372036854775807</vot:TD><vot:TD>12.345678901234567</vot:TD><vot:TD>1.5e-3</vot:TD><vot:TD>T</vot:TD><vot:TD>M &lt;31&gt;</vot:TD><vot:TD>Ωmega</vot:TD><vot:TD>1 2 3</vot:TD><vot:TD>1010</vot:TD><vot:TD>1 -2</vot:TD></vot:TR>
    <!-- between rows -->
    <vot:TR><vot:TD>-1</vot:TD><vot:TD/><vot:TD>NaN</vot:TD><vot:TD>?</vot:TD><vot:TD><![CDATA[<raw> & ]]>tail</vot:TD><vot:TD>ж</vot:TD><vot:TD>+Inf -Inf 0x</vot:TD><vot:TD>0 0 1 1</vot:TD><vot:TD></vot:TD></vot:TR>
    <vot:TR><vot:TD> 42 </vot:TD><vot:TD>-0.0</vot:TD><vot:TD>3.4028235e38</vot:TD><vot:TD>false</vot:TD><vot:TD></vot:TD><vot:TD></vot:TD><vot:TD>1e-310 5e-324 1.7976931348623157e308</vot:TD><vot:TD>1111</vot:TD><vot:TD>NaN</vot:TD></vot:TR>
   </vot:TABLEDATA></vot:DATA>
   <vot:INFO name="QUERY_STATUS" value="OVERFLOW"/>
  </vot:TABLE>
 </vot:RESOURCE>
</vot:VOTABLE>
`.replace('0x</vot:TD>', '0</vot:TD>');

