#!/usr/bin/python3
"""Print the DaCHS RD of the testbed's local RegTAP registry (schema rr) on stdout.

DaCHS 2.7 ships RegTAP's ADQL functions (ivo_hasword, ivo_nocasematch, ivo_hashlist_has,
...) and an OAI-PMH publishing registry, but no rr tables. The tables below follow RegTAP
1.1 (tables and columns; stc_* from RegTAP 1.2); testbed/regtap/oai_grammar.py fills them
from the server's own /oai.xml. The schema is kept as data here so that the RD, which is
mostly repetition, is generated rather than written out by hand.
"""
from xml.sax.saxutils import quoteattr

ID = ("ivoid", "text", "meta.ref.ivoid", "The parent resource's IVOA identifier (lowercased)")

# table name -> (description, [(column, type, ucd or "", description), ...])
TABLES = {
    "resource": ("One row per registry record (service, collection, organisation...).", [
        ("ivoid", "text", "meta.ref.ivoid", "IVOA identifier of the resource (lowercased)"),
        ("res_type", "text", "", "xsi:type of the record, canonical prefix, lowercased (e.g. vs:catalogservice)"),
        ("created", "timestamp", "", "When the record was created (UTC)"),
        ("short_name", "text", "", "Short name (at most 16 characters)"),
        ("res_title", "text", "meta.title", "Title of the resource"),
        ("updated", "timestamp", "", "When the record was last updated (UTC)"),
        ("content_level", "text", "", "Hash-joined intended audiences, lowercased"),
        ("res_description", "text", "meta.note", "Free-text description"),
        ("reference_url", "text", "", "URL of human-readable documentation"),
        ("creator_seq", "text", "", "Creator names in record order, joined by '; '"),
        ("content_type", "text", "", "Hash-joined content types, lowercased"),
        ("source_format", "text", "", "Format of source_value (e.g. bibcode)"),
        ("source_value", "text", "", "Bibliographic source of the resource"),
        ("res_version", "text", "", "Version label"),
        ("region_of_regard", "real", "", "Intrinsic positional blur in degrees"),
        ("waveband", "text", "", "Hash-joined wavebands, lowercased"),
        ("rights", "text", "", "Usage conditions"),
        ("rights_uri", "text", "", "URI of the licence"),
    ]),
    "res_role": ("People and organisations in a role for a resource.", [
        ID,
        ("role_name", "text", "", "Name of the person or organisation"),
        ("role_ivoid", "text", "", "IVOA identifier of the person or organisation"),
        ("street_address", "text", "", "Postal address"),
        ("email", "text", "", "Email address"),
        ("telephone", "text", "", "Telephone number"),
        ("logo", "text", "", "URL of a logo"),
        ("base_role", "text", "", "contact, publisher, contributor or creator"),
    ]),
    "res_subject": ("Subject keywords of resources.", [
        ID, ("res_subject", "text", "", "One subject keyword"),
    ]),
    "capability": ("Capabilities (protocol endpoints) of resources.", [
        ID,
        ("cap_index", "smallint", "", "1-based index of the capability within the resource"),
        ("cap_type", "text", "", "xsi:type of the capability, lowercased"),
        ("cap_description", "text", "", "Description of the capability"),
        ("standard_id", "text", "meta.ref.ivoid", "standardID of the capability, lowercased"),
    ]),
    "res_schema": ("Schemas of resource table sets.", [
        ID,
        ("schema_index", "smallint", "", "1-based index of the schema within the resource"),
        ("schema_description", "text", "", "Description of the schema"),
        ("schema_name", "text", "", "Name of the schema"),
        ("schema_title", "text", "", "Title of the schema"),
        ("schema_utype", "text", "", "Data model identifier of the schema"),
    ]),
    "res_table": ("Tables of resources.", [
        ID,
        ("schema_index", "smallint", "", "Index of the schema holding the table"),
        ("table_description", "text", "", "Description of the table"),
        ("table_name", "text", "", "Fully qualified table name"),
        ("table_index", "smallint", "", "1-based index of the table within the resource"),
        ("table_title", "text", "", "Title of the table"),
        ("table_type", "text", "", "output, base_table, view..."),
        ("table_utype", "text", "", "Data model identifier of the table"),
    ]),
    "table_column": ("Columns of resource tables.", [
        ID,
        ("table_index", "smallint", "", "Index of the table in res_table"),
        ("name", "text", "", "Column name, lowercased"),
        ("ucd", "text", "", "UCD, lowercased"),
        ("unit", "text", "", "Unit"),
        ("utype", "text", "", "Utype, lowercased"),
        ("std", "smallint", "", "1 if the column is defined by a standard"),
        ("datatype", "text", "", "Data type, lowercased"),
        ("extended_schema", "text", "", "Schema of extended_type"),
        ("extended_type", "text", "", "Extended data type"),
        ("arraysize", "text", "", "VOTable-style array size"),
        ("delim", "text", "", "Array element delimiter"),
        ("type_system", "text", "", "xsi:type of the dataType element"),
        ("flag", "text", "", "Hash-joined flags (indexed, primary, nullable)"),
        ("column_description", "text", "", "Description of the column"),
    ]),
    "interface": ("Interfaces of capabilities.", [
        ID,
        ("cap_index", "smallint", "", "Index of the capability"),
        ("intf_index", "smallint", "", "1-based index of the interface within the resource"),
        ("intf_type", "text", "", "xsi:type of the interface, lowercased"),
        ("intf_role", "text", "", "Role of the interface (std...)"),
        ("std_version", "text", "", "Version of the standard interface"),
        ("query_type", "text", "", "Hash-joined HTTP methods, lowercased"),
        ("result_type", "text", "", "MIME type of the result"),
        ("wsdl_url", "text", "", "URL of a WSDL document"),
        ("url_use", "text", "", "full, base, post or dir"),
        ("access_url", "text", "meta.ref.url", "Access URL"),
        ("mirror_url", "text", "", "Hash-joined mirror URLs"),
        ("authenticated_only", "smallint", "", "1 if every access method needs authentication"),
    ]),
    "intf_param": ("Input parameters of interfaces.", [
        ID,
        ("intf_index", "smallint", "", "Index of the interface"),
        ("name", "text", "", "Parameter name, lowercased"),
        ("ucd", "text", "", "UCD, lowercased"),
        ("unit", "text", "", "Unit"),
        ("utype", "text", "", "Utype, lowercased"),
        ("std", "smallint", "", "1 if the parameter is defined by the standard"),
        ("datatype", "text", "", "Data type, lowercased"),
        ("extended_schema", "text", "", "Schema of extended_type"),
        ("extended_type", "text", "", "Extended data type"),
        ("arraysize", "text", "", "Array size"),
        ("delim", "text", "", "Array element delimiter"),
        ("param_use", "text", "", "required, optional or ignored"),
        ("param_description", "text", "", "Description of the parameter"),
    ]),
    "relationship": ("Relationships between resources.", [
        ID,
        ("relationship_type", "text", "", "Type of the relationship, lowercased"),
        ("related_id", "text", "", "IVOA identifier of the related resource, lowercased"),
        ("related_name", "text", "", "Name of the related resource"),
    ]),
    "validation": ("Validation levels of resources and capabilities.", [
        ID,
        ("validated_by", "text", "", "IVOA identifier of the validating registry"),
        ("val_level", "smallint", "", "Validation level 0..4"),
        ("cap_index", "smallint", "", "Index of the capability, NULL for the whole resource"),
    ]),
    "res_date": ("Dates in the life of resources.", [
        ID,
        ("date_value", "timestamp", "", "The date (UTC)"),
        ("value_role", "text", "", "What happened at that date, lowercased"),
    ]),
    "res_detail": ("XPath/value pairs of less common metadata.", [
        ID,
        ("cap_index", "smallint", "", "Index of the capability, NULL for resource details"),
        ("detail_xpath", "text", "", "XPath of the item"),
        ("detail_value", "text", "", "Value of the item"),
    ]),
    "alt_identifier": ("Alternative identifiers (DOI, ORCID...).", [
        ID, ("alt_identifier", "text", "", "Alternative identifier as a URI"),
    ]),
    "stc_spatial": ("Spatial coverage of resources as MOCs.", [
        ID,
        ("coverage", "smoc", "", "Coverage MOC"),
        ("ref_system_name", "text", "", "Reference frame of the MOC"),
    ]),
    "stc_temporal": ("Temporal coverage intervals (MJD).", [
        ID,
        ("time_start", "double precision", "", "Start (MJD)"),
        ("time_end", "double precision", "", "End (MJD)"),
    ]),
    "stc_spectral": ("Spectral coverage intervals (photon energy in J).", [
        ID,
        ("spectral_start", "double precision", "", "Lower energy bound (J)"),
        ("spectral_end", "double precision", "", "Upper energy bound (J)"),
    ]),
}
UNITS = {"region_of_regard": "deg", "time_start": "d", "time_end": "d",
         "spectral_start": "J", "spectral_end": "J"}


def column(name, sqltype, ucd, description):
    attrs = [("name", name), ("type", sqltype)]
    if ucd:
        attrs.append(("ucd", ucd))
    if name in UNITS:
        attrs.append(("unit", UNITS[name]))
    if name == "ivoid":
        attrs.append(("required", "True"))
    attrs.append(("description", description))
    text = "    <column " + " ".join("%s=%s" % (k, quoteattr(v)) for k, v in attrs)
    if sqltype == "smallint":
        # nullable integers need a null value for VOTable BINARY output
        return text + '>\n      <values nullLiteral="-1"/>\n    </column>'
    return text + "/>"


def main():
    out = ['<?xml version="1.0" encoding="utf-8"?>',
           "<!-- generated by testbed/regtap/make_rd.py; edit that file, not this one -->",
           '<resource schema="rr" resdir=".">',
           '  <meta name="creationDate">2025-01-01T00:00:00Z</meta>',
           '  <meta name="title">vokit testbed registry (RegTAP)</meta>',
           '  <meta name="description">A small relational registry holding the records'
           " this testbed publishes itself, for offline registry tests.</meta>",
           '  <meta name="subject">virtual-observatories</meta>',
           '  <meta name="creator">vokit developers</meta>',
           '  <meta name="type">Other</meta>']
    for name, (description, columns) in TABLES.items():
        extra = ' primary="ivoid"' if name == "resource" else ""
        out.append('  <table id="%s" onDisk="True" adql="True"%s>' % (name, extra))
        out.append("    <meta name=\"description\">%s</meta>" % description)
        if name == "resource":
            # makes DaCHS declare the RegTAP data model in the TAP capabilities
            out.append('    <property key="supportsModel">Registry 1.1</property>')
            out.append('    <property key="supportsModelURI">ivo://ivoa.net/std/RegTAP#1.1</property>')
        out.extend(column(*c) for c in columns)
        out.append("  </table>")
    out.append('  <data id="import">')
    out.append('    <sources item="oai-pmh"/>')
    out.append('    <customGrammar module="oai_grammar" isDispatching="True"/>')
    out.extend('    <make table="%s" role="%s"/>' % (name, name) for name in TABLES)
    out.append("  </data>")
    out.append("</resource>")
    print("\n".join(out))


if __name__ == "__main__":
    main()
