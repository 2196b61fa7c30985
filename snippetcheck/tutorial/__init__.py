"""Reader mode: a tutorial page checked as a reader types it, from an empty folder.

``shell`` reads a tutorial's shell lines, ``edits`` applies a settings fragment, ``guard`` refuses
hidden code that would change what the reader meets, ``transcript`` compares shown output,
``browser`` is the reader's HTTP client, ``engine`` runs the page (ADR "Check tutorials as a
reader types them"), and ``_session`` is the ``manage.py shell`` process it talks to.
"""
