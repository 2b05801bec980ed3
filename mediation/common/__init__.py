"""Values and words every layer uses: service errors, identifiers (ID numbers, credit codes,
phones), money in fen and yuan, time in UTC and the local day, labels for codes, safe
spreadsheet cells."""
