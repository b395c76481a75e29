"""The web app (Streamlit): the entry script, one view per page, and the helpers every page
shares. A thin face over the library."""
