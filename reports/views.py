from django.shortcuts import render


def index(request):
    return render(request, "reports/index.html", {"agency": request.workspace.agency})
