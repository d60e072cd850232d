<!-- vokit testbed: site-wide DaCHS overrides (installed as /var/gavo/etc/userconfig.rd).
Only the TAP examples (DALI examples at /tap/examples) are overridden; DaCHS takes every
other stream from its built-in __system__/userconfig. -->
<resource schema="__system">
  <STREAM id="tapexamples">
    <meta name="_example" title="Cone around the patch centre">
      Stars within 0.1 degree of (155, 5), nearest first.

      .. tapquery::

        SELECT source_id, ra, dec, kmag,
          DISTANCE(POINT(ra, dec), POINT(155, 5)) AS dist
        FROM vokit.sources
        WHERE 1 = CONTAINS(POINT(ra, dec), CIRCLE(155, 5, 0.1))
        ORDER BY dist
    </meta>
    <meta name="_example" title="Stars across RA 0">
      The cone at RA 0 must find stars on both sides of the 0/360 seam.

      .. tapquery::

        SELECT source_id, ra, dec FROM vokit.sources
        WHERE 1 = CONTAINS(POINT(ra, dec), CIRCLE(0, -30, 0.1))
        ORDER BY source_id
    </meta>
    <meta name="_example" title="Images in ObsCore">
      All image products of the testbed.

      .. tapquery::

        SELECT obs_publisher_did, access_url, s_ra, s_dec
        FROM ivoa.obscore WHERE dataproduct_type = 'image'
        ORDER BY obs_publisher_did
    </meta>
  </STREAM>
</resource>
