"""Scans and photos → :class:`core.model.Document`, read offline (see engine.py for the model).

Entry points: pages.py (image files, scanned PDF pages). A page goes through: page.py (find the sheet,
undo perspective, flatten, turn upright with orient.py, straighten, rectify.py from the tables' rules),
grid.py (ruled tables), reader.py (cells and lines recognised, with page, box and confidence), unruled.py
(text lines → paragraphs and tables without rules); overlap.py drops the rows a table photographed in parts
shows twice. The Document is the same shape the .docx and .pdf readers make, so parsing, checks and storage
need nothing else; after parsing, review.py lets the 勾稽 identities choose among the recogniser's readings
of a doubtful figure.
"""
