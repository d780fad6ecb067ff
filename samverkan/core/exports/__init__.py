"""Output formats every step of the cycle shares: PDF/A for the record, XLSX for Excel users, ICS."""
