from django.shortcuts import render


def index(request):
    return render(request, "assessments/index.html", {"agency": request.workspace.agency})
