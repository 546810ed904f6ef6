# --- Agencies, organizations, consultations, sections, items (issue 2: branch api) ---


# --- Comments, moderation, responses (issue 3: branch comments) ---


# --- Hearings, agenda, attendance, speakers, manual counts (issue 5: branch hearings) ---
