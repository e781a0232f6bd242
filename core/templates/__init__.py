"""Template definitions as data: see ``national.py``."""

from core.templates.national import TEMPLATE_2019, TEMPLATE_2021, TEMPLATES, template_for_year
from core.templates.schema import BlockDef, CellDef, ColumnDef, RowDef, SectionDef, TableDef, TemplateDef

__all__ = [
    "TEMPLATES",
    "TEMPLATE_2019",
    "TEMPLATE_2021",
    "BlockDef",
    "CellDef",
    "ColumnDef",
    "RowDef",
    "SectionDef",
    "TableDef",
    "TemplateDef",
    "template_for_year",
]
