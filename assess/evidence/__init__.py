"""Photo evidence: what a file says about where it came from, and how it relates to the listing.

One public entry point: `assess.evidence.analyse.analyse_files`.  The modules below it each do
one thing:

    files.py     read a file once (read-only), hash it, find its real type and pixel size
    labels.py    GB 45438-2025 implicit AI-content labels (XMP, PNG text, EXIF, JPEG APP, MP4)
    producers.py who a label's ContentProducer code names (data: producers.yaml)
    c2pa.py      C2PA manifests, read and validated with the official c2pa-python library
    metadata.py  EXIF / XMP / IPTC camera data, capture time, software, DigitalSourceType
    compare.py   a buyer photo against a listing photo: same scene?  derived?  changed where?
    findings.py  indicators (with strength and limits, never a verdict) and the facts for rules
    texts.yaml   every user-facing word, zh and en
    render.py    the text shown by `assess evidence`

This package depends on the core of `assess`; the core never imports it.
"""
