-- A secret per-client offset, in days, by which dates are shifted in research exports. Never exported itself.
ALTER TABLE clients ADD COLUMN research_offset_days INTEGER;
