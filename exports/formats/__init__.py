"""The export formats: one module per format declaring an :class:`~.base.ExportFormat`, listed
in order by :mod:`exports.formats.registry`, which the command line, the dialog and
the callbacks read (see docs/architecture.md, "Adding an export format")."""
