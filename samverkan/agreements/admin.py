"""Agreement content is read and written through the app (one visibility path), not the admin."""
