"""The action plan's rows are collaboration content: not registered in the admin, which the operator uses
for reference data only (tests/core/test_admin_content.py walks every admin page with canaries)."""
