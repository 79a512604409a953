"""Administrative procedures (thủ tục hành chính, TTHC): a register imported from the national
database's export, each procedure linked to the provisions that are its legal basis; the draft
publication list (A. mới ban hành, B. sửa đổi, bổ sung / thay thế, C. bãi bỏ) when a document
changes them; and an alert when a procedure's legal basis has ended.

:mod:`.register` reads and stores the register, :mod:`.publish` works out the publication
list, :mod:`.writers` writes it as DOCX and XLSX, :mod:`.alerts` makes the findings.
"""

from vbqppl.procedures.alerts import RULE, basis_findings, save_basis_findings
from vbqppl.procedures.publish import Publication, PublicationRow, changing_documents, publication
from vbqppl.procedures.register import (
    BasisRef,
    Procedure,
    load_register,
    parse_basis,
    read_register,
    save_register,
)

__all__ = [
    "RULE",
    "BasisRef",
    "Procedure",
    "Publication",
    "PublicationRow",
    "basis_findings",
    "changing_documents",
    "load_register",
    "parse_basis",
    "publication",
    "read_register",
    "save_basis_findings",
    "save_register",
]
