"""Union lawyers: profiles, duty rosters, assignment proposals, workrooms and supervision."""
