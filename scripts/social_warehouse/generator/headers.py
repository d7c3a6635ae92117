"""Headers of the native exports, as the platforms write them.

English headers are the ones documented in EXPORT_FORMATS.md. French and
German headers are *unconfirmed*: no copy of a localised export was found,
so they are our best rendering of the platform's UI language and are marked
`unconfirmed` in the `header_aliases` seed that the ingest reads. The
generator keeps its own copy on purpose: it plays the platform, the seed
plays the parser, and a test compares the two.
"""

from __future__ import annotations

# --- Facebook posts (Meta Business Suite "Posts" export) -------------------
FACEBOOK_POSTS_EN = [
    "Post ID",
    "Page ID",
    "Page name",
    "Title",
    "Description",
    "Duration (sec)",
    "Publish time",
    "Caption type",
    "Permalink",
    "Is crosspost",
    "Is share",
    "Post type",
    "Languages",
    "Custom labels",
    "Funded content status",
    "Data comment",
    "Date",
    "Views",
    "Reach",
    "Reactions, comments and shares",
    "Reactions",
    "Comments",
    "Shares",
    "Total clicks",
    "Other Clicks",
    "Matched Audience Targeting Consumption (Photo Click)",
    "Link Clicks",
    "Seconds viewed",
    "Average Seconds viewed",
    "Estimated earnings (USD)",
    "Ad CPM (USD)",
    "Ad impressions",
]

# Older exports: "Impressions" instead of "Views", and title-cased combined column.
FACEBOOK_POSTS_EN_OLDER = [
    {
        "Views": "Impressions",
        "Reactions, comments and shares": "Reactions, Comments and Shares",
    }.get(h, h)
    for h in FACEBOOK_POSTS_EN
] + ["Reach from Organic posts", "Reach from Boosted posts"]

FACEBOOK_POSTS_FR = {
    "Post ID": "Identifiant de la publication",
    "Page ID": "Identifiant de la Page",
    "Page name": "Nom de la Page",
    "Title": "Titre",
    "Description": "Description",
    "Duration (sec)": "Durée (s)",
    "Publish time": "Heure de publication",
    "Caption type": "Type de sous-titres",
    "Permalink": "Permalien",
    "Is crosspost": "Est une publication croisée",
    "Is share": "Est un partage",
    "Post type": "Type de publication",
    "Languages": "Langues",
    "Custom labels": "Libellés personnalisés",
    "Funded content status": "Statut du contenu financé",
    "Data comment": "Commentaire sur les données",
    "Date": "Date",
    "Views": "Vues",
    "Reach": "Couverture",
    "Reactions, comments and shares": "Réactions, commentaires et partages",
    "Reactions": "Réactions",
    "Comments": "Commentaires",
    "Shares": "Partages",
    "Total clicks": "Total des clics",
    "Other Clicks": "Autres clics",
    "Matched Audience Targeting Consumption (Photo Click)": "Clics sur photo",
    "Link Clicks": "Clics sur un lien",
    "Seconds viewed": "Secondes vues",
    "Average Seconds viewed": "Secondes vues en moyenne",
    "Estimated earnings (USD)": "Revenus estimés (USD)",
    "Ad CPM (USD)": "CPM publicitaire (USD)",
    "Ad impressions": "Impressions publicitaires",
}

FACEBOOK_POSTS_DE = {
    "Post ID": "Beitrags-ID",
    "Page ID": "Seiten-ID",
    "Page name": "Seitenname",
    "Title": "Titel",
    "Description": "Beschreibung",
    "Duration (sec)": "Dauer (Sek.)",
    "Publish time": "Veröffentlichungszeitpunkt",
    "Caption type": "Untertiteltyp",
    "Permalink": "Permalink",
    "Is crosspost": "Ist Crosspost",
    "Is share": "Ist geteilter Inhalt",
    "Post type": "Beitragstyp",
    "Languages": "Sprachen",
    "Custom labels": "Benutzerdefinierte Labels",
    "Funded content status": "Status finanzierter Inhalte",
    "Data comment": "Datenkommentar",
    "Date": "Datum",
    "Views": "Aufrufe",
    "Reach": "Reichweite",
    "Reactions, comments and shares": "Reaktionen, Kommentare und geteilte Inhalte",
    "Reactions": "Reaktionen",
    "Comments": "Kommentare",
    "Shares": "Geteilte Inhalte",
    "Total clicks": "Klicks insgesamt",
    "Other Clicks": "Sonstige Klicks",
    "Matched Audience Targeting Consumption (Photo Click)": "Fotoklicks",
    "Link Clicks": "Link-Klicks",
    "Seconds viewed": "Angesehene Sekunden",
    "Average Seconds viewed": "Durchschnittlich angesehene Sekunden",
    "Estimated earnings (USD)": "Geschätzte Einnahmen (USD)",
    "Ad CPM (USD)": "Werbe-CPM (USD)",
    "Ad impressions": "Werbeimpressionen",
}

LIFETIME = {"en": "Lifetime", "fr": "Durée de vie totale", "de": "Gesamtdauer"}

# --- Meta page-level daily exports (UTF-16, sep= preamble) -------------------
FOLLOWS_METRIC = {
    ("facebook", "en"): "Facebook follows",
    ("facebook", "fr"): "Abonnements Facebook",
    ("facebook", "de"): "Facebook-Follows",
    ("instagram", "en"): "Instagram follows",
}
FOLLOWS_HEADER = {"en": ["Date", "Primary"], "fr": ["Date", "Principal"], "de": ["Datum", "Primär"]}

# --- Instagram posts ------------------------------------------------------------
INSTAGRAM_POSTS_EN = [
    "Post ID",
    "Account ID",
    "Account username",
    "Account name",
    "Description",
    "Duration (sec)",
    "Publish time",
    "Permalink",
    "Post type",
    "Data comment",
    "Date",
    "Views",
    "Reach",
    "Likes",
    "Shares",
    "Follows",
    "Comments",
    "Saves",
]

# --- X ---------------------------------------------------------------------------
_X_LEGACY_METRICS = [
    "impressions",
    "engagements",
    "engagement rate",
    "retweets",
    "replies",
    "likes",
    "user profile clicks",
    "url clicks",
    "hashtag clicks",
    "detail expands",
    "permalink clicks",
    "app opens",
    "app installs",
    "follows",
    "email tweet",
    "dial phone",
    "media views",
    "media engagements",
]
X_LEGACY_POSTS = [
    "Tweet id",
    "Tweet permalink",
    "Tweet text",
    "time",
    *_X_LEGACY_METRICS,
    *[f"promoted {m}" for m in _X_LEGACY_METRICS],
]
X_CONTENT_POSTS = [
    "Post id",
    "Date",
    "Post text",
    "Post Link",
    "Impressions",
    "Likes",
    "Engagements",
    "Bookmarks",
    "Shares",
    "New follows",
    "Replies",
    "Reposts",
    "Profile visits",
    "Detail Expands",
    "URL Clicks",
    "Hashtag Clicks",
    "Permalink Clicks",
]
X_ACCOUNT_OVERVIEW = [
    "Date",
    "Impressions",
    "Engagements",
    "Likes",
    "Replies",
    "Reposts",
    "New follows",
    "Unfollows",
    "Bookmarks",
    "Shares",
    "Profile visits",
    "Create Post",
    "Video views",
    "Media views",
]

# --- LinkedIn (.xlsx, note on row 1, header on row 2) ------------------------------
LINKEDIN_CONTENT_EN = [
    "Post title",
    "Post link",
    "Post type",
    "Campaign name",
    "Posted by",
    "Created date",
    "Campaign start date",
    "Campaign end date",
    "Audience",
    "Impressions",
    "Views (excluding off-site video views)",
    "Off-site views",
    "Clicks",
    "Click through rate (CTR)",
    "Likes",
    "Comments",
    "Reposts",
    "Follows",
    "Engagement rate",
    "Content Type",
]
LINKEDIN_CONTENT_FR = {
    "Post title": "Titre de la publication",
    "Post link": "Lien de la publication",
    "Post type": "Type de publication",
    "Campaign name": "Nom de la campagne",
    "Posted by": "Publié par",
    "Created date": "Date de création",
    "Campaign start date": "Date de début de la campagne",
    "Campaign end date": "Date de fin de la campagne",
    "Audience": "Audience",
    "Impressions": "Impressions",
    "Views (excluding off-site video views)": "Vues (hors vues de vidéos hors site)",
    "Off-site views": "Vues hors site",
    "Clicks": "Clics",
    "Click through rate (CTR)": "Taux de clics (CTR)",
    "Likes": "J’aime",
    "Comments": "Commentaires",
    "Reposts": "Republications",
    "Follows": "Abonnements",
    "Engagement rate": "Taux d’engagement",
    "Content Type": "Type de contenu",
}
LINKEDIN_CONTENT_DE = {
    "Post title": "Beitragstitel",
    "Post link": "Beitragslink",
    "Post type": "Beitragstyp",
    "Campaign name": "Kampagnenname",
    "Posted by": "Gepostet von",
    "Created date": "Erstellungsdatum",
    "Campaign start date": "Startdatum der Kampagne",
    "Campaign end date": "Enddatum der Kampagne",
    "Audience": "Zielgruppe",
    "Impressions": "Impressionen",
    "Views (excluding off-site video views)": "Aufrufe (ohne Offsite-Videoaufrufe)",
    "Off-site views": "Offsite-Aufrufe",
    "Clicks": "Klicks",
    "Click through rate (CTR)": "Klickrate (CTR)",
    "Likes": "Gefällt mir",
    "Comments": "Kommentare",
    "Reposts": "Reposts",
    "Follows": "Follows",
    "Engagement rate": "Interaktionsrate",
    "Content Type": "Inhaltstyp",
}
LINKEDIN_FOLLOWERS_EN = [
    "Date",
    "Sponsored followers",
    "Organic followers",
    "Auto-invited followers",
    "Total followers",
]
LINKEDIN_FOLLOWERS_FR = {
    "Date": "Date",
    "Sponsored followers": "Abonnés sponsorisés",
    "Organic followers": "Abonnés naturels",
    "Auto-invited followers": "Abonnés invités automatiquement",
    "Total followers": "Total des abonnés",
}
LINKEDIN_FOLLOWERS_DE = {
    "Date": "Datum",
    "Sponsored followers": "Gesponserte Follower",
    "Organic followers": "Organische Follower",
    "Auto-invited followers": "Automatisch eingeladene Follower",
    "Total followers": "Follower insgesamt",
}
LINKEDIN_NOTE = {
    "en": "All metrics are lifetime totals for posts created in the selected date range.",
    "fr": "Toutes les statistiques sont des totaux cumulés pour les publications créées "
    "dans la période sélectionnée.",
    "de": "Alle Kennzahlen sind Gesamtwerte für Beiträge, die im ausgewählten Zeitraum "
    "erstellt wurden.",
}


# --- TikTok Studio ("Analytics" -> "Download data"), research issue 14 section 1 --------
# One zip per section. Headers stay English whatever the UI language (only month names in
# the dates follow it). CSV UTF-8 with BOM, every field quoted, no trailing newline.
TIKTOK_OVERVIEW = ["Date", "Video Views", "Profile Views", "Likes", "Comments", "Shares"]
TIKTOK_FOLLOWER_HISTORY = ["Date", "Followers", "Difference in followers from previous day"]
TIKTOK_FOLLOWER_ACTIVITY = ["Date", "Hour", "Active followers"]
TIKTOK_FOLLOWER_GENDER = ["Gender", "Distribution"]
TIKTOK_FOLLOWER_TERRITORIES = ["Top territories", "Distribution"]
TIKTOK_CONTENT = [
    "Time",
    "Video title",
    "Video link",
    "Post time",
    "Total likes",
    "Total comments",
    "Total shares",
    "Total views",
]
# zip members, in the order they sit in each zip (research 1.1)
TIKTOK_OVERVIEW_FILES = ["Overview.csv"]
TIKTOK_FOLLOWERS_FILES = [
    "FollowerHistory.csv",
    "FollowerActivity.csv",
    "FollowerGender.csv",
    "FollowerTopTerritories.csv",
]
TIKTOK_CONTENT_FILES = ["Content.csv"]

# --- YouTube Studio, Advanced mode, "Export current view" (Content tab), research 2 ------
# The zip is named "<tab> <start>_<end> <channel name>"; tab and file names are localised.
YOUTUBE_TAB = {"en": "Content", "de": "Videos"}
YOUTUBE_FILES = {
    "en": ["Table data.csv", "Chart data.csv", "Totals.csv"],
    "de": ["Tabellendaten.csv", "Diagrammdaten.csv", "Gesamtwerte.csv"],
}
YOUTUBE_TOTAL_ROW = {"en": "Total", "de": "Gesamt"}
# Table data: the default columns plus the metrics the team added (Likes, Comments added,
# Shares); no "Estimated revenue" (the sample channels are not monetised).
YOUTUBE_TABLE_EN = [
    "Content",
    "Video title",
    "Video publish time",
    "Duration",
    "Views",
    "Watch time (hours)",
    "Subscribers",
    "Likes",
    "Comments added",
    "Shares",
    "Thumbnail impressions",
    "Thumbnail click-through rate (%)",
]
# Downloads before 2025 name the last two "Impressions" / "Impressions click-through rate (%)".
YOUTUBE_IMPRESSIONS_OLDER = {
    "Thumbnail impressions": "Impressions",
    "Thumbnail click-through rate (%)": "Impressions click-through rate (%)",
}
YOUTUBE_TABLE_EN_OLDER = [YOUTUBE_IMPRESSIONS_OLDER.get(h, h) for h in YOUTUBE_TABLE_EN]
# German: the default columns, "Impressionen" and "Klickrate der Impressionen (%)" are
# confirmed (research 2.4); "Thumbnail-Impressionen" / "Thumbnail-Klickrate (%)" are
# secondary; "Mag ich", "Hinzugefügte Kommentare" and "Mal geteilt" are unconfirmed
# renderings of Likes, Comments added and Shares (the same as in `header_aliases`).
YOUTUBE_TABLE_DE = {
    "Content": "Videos",
    "Video title": "Videotitel",
    "Video publish time": "Veröffentlichungszeitpunkt des Videos",
    "Duration": "Dauer",
    "Views": "Aufrufe",
    "Watch time (hours)": "Wiedergabezeit (Stunden)",
    "Subscribers": "Abonnenten",
    "Likes": "Mag ich",
    "Comments added": "Hinzugefügte Kommentare",
    "Shares": "Mal geteilt",
    "Thumbnail impressions": "Thumbnail-Impressionen",
    "Thumbnail click-through rate (%)": "Thumbnail-Klickrate (%)",
    "Impressions": "Impressionen",
    "Impressions click-through rate (%)": "Klickrate der Impressionen (%)",
    "Date": "Datum",
}
# Chart data is long (one row per day and plotted video) and, like Totals, holds only the
# metric picked for the chart: the teams pick Subscribers (see generator/video.py).
YOUTUBE_CHART_EN = [
    "Date",
    "Content",
    "Video title",
    "Video publish time",
    "Duration",
    "Subscribers",
]
YOUTUBE_TOTALS_EN = ["Date", "Subscribers"]


def localise(headers: list[str], mapping: dict[str, str] | None) -> list[str]:
    """Translate a header list; an English list is returned unchanged."""
    if mapping is None:
        return list(headers)
    return [mapping[h] for h in headers]
