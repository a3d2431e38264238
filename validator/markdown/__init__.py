"""The Markdown page <-> catalog bridge: read the seed page, write it back from YAML.

``page`` reads the page's Markdown, ``importer`` turns it into catalog files,
``render`` rebuilds the page from a catalog, and ``values`` holds the cell formats
both directions share, so a round trip leaves the page unchanged.
"""
