"""The region tree: province, prefectures, counties and districts, loaded from its data file
(mediation/data/regions_jilin.json); access and statistics follow its subtrees."""
