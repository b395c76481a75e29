"""One module per page of the web app (run by Streamlit as scripts)."""
