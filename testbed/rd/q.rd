<?xml version="1.0" encoding="utf-8"?>
<!-- vokit testbed: the DaCHS resource descriptor "vokit/q" (schema vokit).

testbed/up.sh installs this as /var/gavo/inputs/vokit/q.rd; the data come from
testbed/data/make_data.py. Services:

  scs    Simple Cone Search over vokit.sources
  siap   SIA 1 over vokit.images (images also go to ObsCore and the site SIA 2)
  dl     Datalink + SODA for the images
  cdl    Datalink + SODA (with BAND) for the cube
  ssa    SSA over vokit.spectra; sdl serves SDM VOTables, PNG previews
  slap   SLAP over vokit.lines
TAP sees every table; TAP examples come from testbed/rd/userconfig.rd.
-->
<resource schema="vokit" resdir=".">
  <meta name="creationDate">2025-01-01T00:00:00Z</meta>
  <meta name="title">vokit testbed collection (synthetic)</meta>
  <meta name="description">Synthetic data for the integration tests of vokit, a
    TypeScript Virtual Observatory toolkit: a 10,000 star catalogue with 64-bit
    identifiers, seven small FITS frames, a spectral cube, five spectra and a
    spectral line list. Nothing here is a real measurement.</meta>
  <meta name="subject">stars</meta>
  <meta name="subject">spectroscopy</meta>
  <meta name="creator">vokit developers</meta>
  <meta name="instrument">vokitcam</meta>
  <meta name="facility">vokit synthetic observatory</meta>
  <meta name="contentLevel">Research</meta>
  <meta name="type">Catalog</meta>
  <meta name="coverage.waveband">Infrared</meta>
  <meta name="coverage.waveband">Optical</meta>
  <meta name="ssap.dataSource">pointed</meta>
  <meta name="ssap.creationType">archival</meta>
  <meta name="ssap.testQuery">MAXREC=1</meta>
  <meta name="slap.dataSource">observational/laboratory</meta>
  <meta name="slap.testQuery">MAXREC=1</meta>
  <meta name="productType">spectrum</meta>

  <!-- ============================================================ catalogue -->
  <table id="sources" onDisk="True" adql="True" primary="source_id"
      mixin="//scs#q3cindex">
    <meta name="title">vokit synthetic stars</meta>
    <meta name="description">10,000 synthetic stars: 9,000 in RA 150..160,
      Dec 0..10 and 1,000 over the whole sky, among them fixed edge cases at
      RA 0/360 and at both poles. Identifiers are 64-bit integers above 2**53.</meta>
    <meta name="table-rank">1</meta>
    <stc>Position ICRS Epoch J2016.0 "ra" "dec"</stc>
    <publish/>

    <column name="source_id" type="bigint" required="True"
      ucd="meta.id;meta.main" tablehead="Source" verbLevel="1"
      description="Identifier; every value exceeds 2**53, so a float64 cannot hold it"/>
    <column name="parent_id" type="bigint"
      ucd="meta.id.parent" tablehead="Parent" verbLevel="20"
      description="source_id of a related star; NULL for about 80% of the rows">
      <values nullLiteral="-1"/>
    </column>
    <column name="name" type="text" required="True"
      ucd="meta.id" tablehead="Name" verbLevel="1"
      description="Designation, VKT Jhhmmss.ss+ddmmss.s"/>
    <column name="ra" type="double precision" required="True"
      ucd="pos.eq.ra;meta.main" unit="deg" tablehead="RA" verbLevel="1"
      description="Right ascension, ICRS"/>
    <column name="dec" type="double precision" required="True"
      ucd="pos.eq.dec;meta.main" unit="deg" tablehead="Dec" verbLevel="1"
      description="Declination, ICRS"/>
    <column name="pmra" type="real" ucd="pos.pm;pos.eq.ra" unit="mas/yr"
      tablehead="pmRA" verbLevel="5"
      description="Proper motion in RA (times cos Dec); NULL for about 8%"/>
    <column name="pmdec" type="real" ucd="pos.pm;pos.eq.dec" unit="mas/yr"
      tablehead="pmDE" verbLevel="5"
      description="Proper motion in Dec; NULL for about 8%"/>
    <column name="parallax" type="real" ucd="pos.parallax" unit="mas"
      tablehead="Plx" verbLevel="5" description="Parallax; NULL for about 8%"/>
    <column name="bmag" type="real" required="True" ucd="phot.mag;em.opt.B"
      unit="mag" tablehead="B" verbLevel="1" description="B magnitude"/>
    <column name="vmag" type="real" required="True" ucd="phot.mag;em.opt.V"
      unit="mag" tablehead="V" verbLevel="1" description="V magnitude"/>
    <column name="jmag" type="real" required="True" ucd="phot.mag;em.IR.J"
      unit="mag" tablehead="J" verbLevel="1" description="J magnitude"/>
    <column name="e_jmag" type="real" ucd="stat.error;phot.mag;em.IR.J"
      unit="mag" tablehead="e_J" verbLevel="10" description="Error of jmag"/>
    <column name="hmag" type="real" required="True" ucd="phot.mag;em.IR.H"
      unit="mag" tablehead="H" verbLevel="1" description="H magnitude"/>
    <column name="e_hmag" type="real" ucd="stat.error;phot.mag;em.IR.H"
      unit="mag" tablehead="e_H" verbLevel="10" description="Error of hmag"/>
    <column name="kmag" type="real" required="True" ucd="phot.mag;em.IR.K"
      unit="mag" tablehead="Ks" verbLevel="1" description="Ks magnitude"/>
    <column name="e_kmag" type="real" ucd="stat.error;phot.mag;em.IR.K"
      unit="mag" tablehead="e_Ks" verbLevel="10" description="Error of kmag"/>
    <column name="sptype" type="text" ucd="src.spType" tablehead="SpT"
      verbLevel="10" description="Spectral type; NULL for about 5%"/>
    <column name="qual" type="smallint" ucd="meta.code.qual" tablehead="Q"
      verbLevel="15" description="Quality 0 (best) to 3; NULL for about 3%">
      <values nullLiteral="-1"/>
    </column>
    <column name="variable" type="boolean" required="True"
      ucd="meta.code;src.var" tablehead="Var" verbLevel="15"
      description="Flagged as variable"/>
    <column name="obs_time" type="timestamp" ucd="time.epoch;obs"
      tablehead="Obs. time" verbLevel="20" description="Last observation (UTC)"/>
    <column name="remark" type="unicode" ucd="meta.note" tablehead="Remark"
      verbLevel="20"
      description="Why the row is an edge case (quotes, markup characters, non-ASCII); mostly NULL"/>
  </table>

  <data id="import_sources">
    <sources>data/sources.csv</sources>
    <csvGrammar enc="utf-8"/>
    <make table="sources">
      <rowmaker idmaps="*">
        <!-- the CSV writes NULL as an empty field -->
        <map key="parent_id">int(@parent_id) if @parent_id else None</map>
        <map key="sptype">@sptype or None</map>
        <map key="remark">@remark or None</map>
      </rowmaker>
    </make>
  </data>

  <service id="scs" allowed="form,scs.xml">
    <meta name="title">vokit testbed cone search</meta>
    <meta name="shortName">vokit scs</meta>
    <meta name="description">Simple Cone Search over the synthetic vokit stars.</meta>
    <meta name="testQuery.ra">155.0</meta>
    <meta name="testQuery.dec">5.0</meta>
    <meta name="testQuery.sr">0.1</meta>
    <publish render="scs.xml" sets="ivo_managed"/>
    <publish render="form" sets="local,ivo_managed"/>
    <scsCore queriedTable="sources">
      <FEED source="//scs#coreDescs"/>
      <condDesc buildFrom="kmag"/>
    </scsCore>
  </service>

  <!-- ============================================================ images -->
  <table id="images" onDisk="True" adql="True" mixin="//siap#pgs">
    <meta name="title">vokit synthetic frames</meta>
    <meta name="description">Seven 200x200 synthetic near-infrared frames (TAN,
      9 arcsec per pixel) rendered from vokit.sources; one is centred on RA 0.</meta>
    <meta name="_associatedDatalinkService">
      <meta name="serviceId">dl</meta>
      <meta name="idColumn">pub_did</meta>
    </meta>
    <publish/>
    <mixin calibLevel="2" collectionName="'vokit images'" targetName="object"
      expTime="exptime" targetClass="'field'" did="pub_did"
      >//obscore#publishSIAP</mixin>
    <column name="object" type="text" ucd="meta.id;src" tablehead="Object"
      verbLevel="10" description="Field designation"/>
    <column name="exptime" type="real" unit="s" ucd="time.duration;obs.exposure"
      tablehead="Exp" verbLevel="10" description="Exposure time"/>
    <column name="pub_did" type="text" ucd="meta.ref.ivoid" tablehead="DID"
      verbLevel="15" description="Publisher DID, the datalink ID"/>
  </table>

  <data id="import_images">
    <sources pattern="data/images/*.fits"/>
    <fitsProdGrammar>
      <rowfilter procDef="//products#define">
        <bind key="table">"\schema.images"</bind>
      </rowfilter>
    </fitsProdGrammar>
    <make table="images">
      <rowmaker>
        <apply procDef="//siap#setMeta">
          <bind key="dateObs">@DATE_OBS</bind>
          <bind key="bandpassId">@FILTER</bind>
          <bind key="pixflags">"Z"</bind>
          <bind key="title">"vokit {} in {}".format(@OBJECT, @FILTER)</bind>
          <bind key="instrument">@INSTRUME</bind>
        </apply>
        <apply procDef="//siap#getBandFromFilter"/>
        <apply procDef="//siap#computePGS"/>
        <map key="object">@OBJECT</map>
        <map key="exptime">@EXPTIME</map>
        <map key="pub_did">\standardPubDID</map>
      </rowmaker>
    </make>
  </data>

  <service id="siap" allowed="form,siap.xml">
    <meta name="title">vokit testbed images (SIA 1)</meta>
    <meta name="shortName">vokit siap</meta>
    <meta name="description">SIA version 1 over the synthetic vokit frames.</meta>
    <meta name="sia.type">Pointed</meta>
    <meta name="testQuery.pos.ra">152.5</meta>
    <meta name="testQuery.pos.dec">2.5</meta>
    <meta name="testQuery.size.ra">0.1</meta>
    <meta name="testQuery.size.dec">0.1</meta>
    <publish render="siap.xml" sets="ivo_managed"/>
    <publish render="form" sets="local,ivo_managed"/>
    <dbCore queriedTable="images">
      <condDesc original="//siap#protoInput"/>
      <condDesc original="//siap#humanInput"/>
      <condDesc buildFrom="exptime"/>
    </dbCore>
  </service>

  <service id="dl" allowed="dlget,dlmeta">
    <meta name="title">vokit image datalink and cutouts</meta>
    <meta name="description">Datalink documents and SODA cutouts for vokit.images.</meta>
    <datalinkCore>
      <descriptorGenerator procDef="//soda#fits_genDesc" name="genFITSDesc">
        <bind key="accrefPrefix">'vokit/data/images/'</bind>
      </descriptorGenerator>
      <FEED source="//soda#fits_standardDLFuncs"/>
    </datalinkCore>
  </service>

  <!-- ============================================================ cube -->
  <table id="cubes" onDisk="True" adql="True" mixin="//siap#pgs">
    <meta name="title">vokit synthetic cube</meta>
    <meta name="description">A 48x48x32 cube with a wavelength axis from 600 to
      631 nm, for SODA BAND cutouts.</meta>
    <meta name="_associatedDatalinkService">
      <meta name="serviceId">cdl</meta>
      <meta name="idColumn">pub_did</meta>
    </meta>
    <publish/>
    <mixin calibLevel="2" collectionName="'vokit cubes'" productType="'cube'"
      targetName="object" expTime="exptime" did="pub_did" emXel="32"
      >//obscore#publishSIAP</mixin>
    <column name="object" type="text" ucd="meta.id;src" tablehead="Object"
      verbLevel="10" description="Field designation"/>
    <column name="exptime" type="real" unit="s" ucd="time.duration;obs.exposure"
      tablehead="Exp" verbLevel="10" description="Exposure time"/>
    <column name="pub_did" type="text" ucd="meta.ref.ivoid" tablehead="DID"
      verbLevel="15" description="Publisher DID, the datalink ID"/>
  </table>

  <data id="import_cubes">
    <sources pattern="data/cube/*.fits"/>
    <fitsProdGrammar>
      <rowfilter procDef="//products#define">
        <bind key="table">"\schema.cubes"</bind>
        <bind key="preview">None</bind>
      </rowfilter>
    </fitsProdGrammar>
    <make table="cubes">
      <rowmaker>
        <apply procDef="//siap#setMeta">
          <bind key="dateObs">@DATE_OBS</bind>
          <bind key="bandpassId">"vokit 600-631nm"</bind>
          <bind key="bandpassLo">6.0e-7</bind>
          <bind key="bandpassHi">6.31e-7</bind>
          <bind key="bandpassRefval">6.155e-7</bind>
          <bind key="pixflags">"Z"</bind>
          <bind key="title">"vokit cube of {}".format(@OBJECT)</bind>
          <bind key="instrument">@INSTRUME</bind>
        </apply>
        <apply procDef="//siap#computePGS"/>
        <map key="object">@OBJECT</map>
        <map key="exptime">@EXPTIME</map>
        <map key="pub_did">\standardPubDID</map>
      </rowmaker>
    </make>
  </data>

  <service id="cdl" allowed="dlget,dlmeta">
    <meta name="title">vokit cube datalink and cutouts</meta>
    <meta name="description">Datalink and SODA, including BAND, for the vokit cube.</meta>
    <datalinkCore>
      <descriptorGenerator procDef="//soda#fits_genDesc" name="genFITSDesc">
        <bind key="accrefPrefix">'vokit/data/cube/'</bind>
      </descriptorGenerator>
      <FEED source="//soda#fits_standardDLFuncs" spectralAxis="3"/>
    </datalinkCore>
  </service>

  <!-- ============================================================ spectra -->
  <table id="raw_spectra" onDisk="True" adql="hidden" namePath="//ssap#instance">
    <LOOP listItems="ssa_dateObs ssa_dstitle ssa_targname ssa_length
        ssa_specres ssa_timeExt ssa_specstart ssa_specend">
      <events>
        <column original="\item"/>
      </events>
    </LOOP>
    <mixin>//products#table</mixin>
    <mixin>//ssap#plainlocation</mixin>
    <mixin>//ssap#simpleCoverage</mixin>
    <FEED source="//scs#splitPosIndex"
      long="degrees(long(ssa_location))" lat="degrees(lat(ssa_location))"/>
    <column name="source_id" type="bigint" ucd="meta.id" tablehead="Source"
      verbLevel="10" description="source_id of the star in vokit.sources">
      <values nullLiteral="-1"/>
    </column>
    <column name="datalink" type="text" ucd="meta.ref.url" tablehead="Datalink"
      verbLevel="15" displayHint="type=url"
      description="Datalink document of this spectrum">
      <property name="targetType">application/x-votable+xml;content=datalink</property>
      <property name="targetTitle">Datalink</property>
    </column>
  </table>

  <data id="import_spectra">
    <recreateAfter>make_spectra_view</recreateAfter>
    <property key="previewDir">previews</property>
    <sources pattern="data/spectra/*.fits"/>
    <fitsProdGrammar qnd="True">
      <rowfilter procDef="//products#define">
        <bind key="table">"\schema.raw_spectra"</bind>
        <bind key="path">\fullDLURL{sdl}</bind>
        <bind key="fsize">40000</bind>
        <bind key="mime">"application/x-votable+xml"</bind>
        <bind key="preview">\standardPreviewPath</bind>
        <bind key="preview_mime">"image/png"</bind>
      </rowfilter>
    </fitsProdGrammar>
    <make table="raw_spectra">
      <rowmaker idmaps="*">
        <var key="axis">getWCSAxis(@header_, 1)</var>
        <apply procDef="//ssap#fill-plainlocation">
          <bind key="ra">@RA</bind>
          <bind key="dec">@DEC</bind>
          <bind key="aperture">2/3600.</bind>
        </apply>
        <map key="ssa_dateObs">dateTimeToMJD(parseTimestamp(@DATE_OBS, "%Y-%m-%dT%H:%M:%S"))</map>
        <map key="ssa_dstitle">"vokit spectrum of {}".format(@OBJECT)</map>
        <map key="ssa_targname">@OBJECT</map>
        <map key="ssa_specstart">@axis.pixToPhys(1)*1e-10</map>
        <map key="ssa_specend">@axis.pixToPhys(@axis.axisLength)*1e-10</map>
        <map key="ssa_length">@axis.axisLength</map>
        <map key="ssa_timeExt">@EXPTIME</map>
        <map key="ssa_specres">float(@SPECRES)*1e-10</map>
        <map key="source_id">int(@SRCID)</map>
        <map key="datalink">\dlMetaURI{sdl}</map>
      </rowmaker>
    </make>
  </data>

  <table id="spectra" onDisk="True" adql="True">
    <meta name="title">vokit synthetic spectra</meta>
    <meta name="description">Five synthetic optical spectra (4000 to 6997
      Angstrom in 3 Angstrom steps) of catalogue stars.</meta>
    <meta name="_associatedDatalinkService">
      <meta name="serviceId">sdl</meta>
      <meta name="idColumn">ssa_pubDID</meta>
    </meta>
    <publish/>
    <mixin sourcetable="raw_spectra" copiedcolumns="*" ssa_aperture="2/3600."
      ssa_fluxunit="'erg.s**-1.cm**-2.Angstrom**-1'" ssa_spectralunit="'Angstrom'"
      ssa_bandpass="'Optical'" ssa_collection="'vokit spectra'"
      ssa_fluxcalib="'CALIBRATED'" ssa_fluxucd="'phot.flux.density;em.wl'"
      ssa_speccalib="'ABSOLUTE'" ssa_spectralucd="'em.wl'" ssa_targclass="'star'"
      ssa_region="ssa_region">//ssap#view</mixin>
    <mixin calibLevel="2" coverage="ssa_region" sResolution="ssa_spaceres"
      oUCD="ssa_fluxucd" emUCD="ssa_spectralucd">//obscore#publishSSAPMIXC</mixin>
  </table>

  <data id="make_spectra_view" auto="False">
    <make table="spectra"/>
  </data>

  <table id="spectrum_instance" onDisk="False">
    <mixin ssaTable="spectra" spectralDescription="Wavelength"
      fluxDescription="Flux density">//ssap#sdm-instance</mixin>
    <meta name="description">One synthetic vokit spectrum</meta>
  </table>

  <!-- auto="False": it only makes sense with a spectrum as its source token -->
  <data id="build_spectrum" auto="False">
    <embeddedGrammar>
      <iterator>
        <!-- setup imports bind the last dotted component (rscdef, pyfits, fitstools) -->
        <setup imports="gavo.rscdef,gavo.utils.pyfits,gavo.utils.fitstools"/>
        <code>
          accref = rscdef.getAccrefFromStandardPubDID(self.sourceToken["ssa_pubDID"])
          hdus = pyfits.open(os.path.join(base.getConfig("inputsDir"), accref))
          try:
            axis = fitstools.WCSAxis.fromHeader(hdus[0].header, 1)
            for index, value in enumerate(hdus[0].data):
              yield {"spectral": axis.pixToPhys(index+1), "flux": float(value)}
          finally:
            hdus.close()
        </code>
      </iterator>
    </embeddedGrammar>
    <make table="spectrum_instance">
      <parmaker>
        <apply procDef="//ssap#feedSSAToSDM"/>
      </parmaker>
    </make>
  </data>

  <service id="sdl" allowed="dlget,dlmeta">
    <meta name="title">vokit spectra datalink</meta>
    <meta name="description">Datalink and SODA for the vokit spectra; dlget
      returns SDM VOTables or, with FORMAT, other formats.</meta>
    <datalinkCore>
      <descriptorGenerator procDef="//soda#sdm_genDesc">
        <bind key="ssaTD">"\rdId#spectra"</bind>
      </descriptorGenerator>
      <dataFunction procDef="//soda#sdm_genData">
        <bind key="builder">"\rdId#build_spectrum"</bind>
      </dataFunction>
      <FEED source="//soda#sdm_plainfluxcalib"/>
      <FEED source="//soda#sdm_cutout"/>
      <FEED source="//soda#sdm_format"/>
    </datalinkCore>
  </service>

  <service id="web" defaultRenderer="form">
    <meta name="title">vokit spectra web form</meta>
    <meta name="shortName">vokit spec web</meta>
    <dbCore queriedTable="spectra">
      <condDesc buildFrom="ssa_location"/>
      <condDesc buildFrom="ssa_dateObs"/>
    </dbCore>
    <outputTable>
      <autoCols>accref, mime, ssa_targname, ssa_aperture, ssa_dateObs, datalink</autoCols>
      <FEED source="//ssap#atomicCoords"/>
    </outputTable>
  </service>

  <service id="ssa" allowed="form,ssap.xml">
    <meta name="title">vokit testbed spectra (SSA)</meta>
    <meta name="shortName">vokit ssap</meta>
    <meta name="description">SSA over the five synthetic vokit spectra.</meta>
    <meta name="ssap.complianceLevel">full</meta>
    <publish render="ssap.xml" sets="ivo_managed"/>
    <publish render="form" sets="ivo_managed,local" service="web"/>
    <ssapCore queriedTable="spectra">
      <property key="previews">auto</property>
      <FEED source="//ssap#hcd_condDescs"/>
    </ssapCore>
  </service>

  <!-- ============================================================ lines (SLAP) -->
  <table id="lines" onDisk="True" adql="True">
    <meta name="title">vokit spectral lines</meta>
    <meta name="description">Two dozen well-known optical and near-infrared
      lines (air wavelengths) for SLAP tests.</meta>
    <publish/>
    <mixin>//slap#basic</mixin>
  </table>

  <data id="import_lines">
    <sources>data/lines.csv</sources>
    <csvGrammar enc="utf-8"/>
    <make table="lines">
      <rowmaker idmaps="*">
        <apply procDef="//slap#fillBasic">
          <bind key="wavelength">float(@wavelength)</bind>
          <bind key="initial_level_energy">None</bind>
          <bind key="final_level_energy">None</bind>
          <bind key="pub">None</bind>
        </apply>
      </rowmaker>
    </make>
  </data>

  <service id="slap" allowed="form,slap.xml">
    <meta name="title">vokit testbed lines (SLAP)</meta>
    <meta name="shortName">vokit slap</meta>
    <meta name="description">SLAP over the vokit line list.</meta>
    <publish render="slap.xml" sets="ivo_managed"/>
    <dbCore queriedTable="lines">
      <FEED source="//slap#corePars"/>
    </dbCore>
    <FEED source="//slap#servicePars"/>
  </service>

  <coverage>
    <updater sourceTable="sources"/>
  </coverage>
</resource>
