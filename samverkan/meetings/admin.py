"""Meetings, their items and minutes are collaboration content with confidentiality levels: not registered in
the admin, which the operator uses for reference data only (tests/core/test_admin_content.py walks every
admin page with canaries). Calendar feeds are not either: they are each user's own, made and revoked on
their profile, and an operator has no reason to see whose calendar follows what."""
