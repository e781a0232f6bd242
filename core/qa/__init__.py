"""Question answering over the stored reports: ``core.qa.answer.answer``. See answer.py for the flow."""
