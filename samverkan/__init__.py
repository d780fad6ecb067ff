"""Samverkan: local crime prevention in cooperation between municipality and police."""
