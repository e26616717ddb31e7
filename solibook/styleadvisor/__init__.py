"""Style advisor: a questionnaire matched to styles and the salon's services that realise them."""
