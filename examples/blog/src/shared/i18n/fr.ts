import { plural } from '@composable-svelte/core/i18n';
import type { Messages } from './en.js';

/** L'interface en français, telle que toute page la montre. Les billets et les commentaires restent dans leur langue (l'anglais). */
const fr: Messages = {
  siteTagline: 'essais sur le logiciel web',
  siteDescription: 'Essais sur la construction et l’exploitation du logiciel web : rendu, cache, tests, exploitation.',
  skipToContent: 'Aller au contenu',
  primaryNavigation: 'Principale',
  essays: 'Essais',
  subscribe: 'S’abonner',
  write: 'Écrire',
  admin: 'Administration',
  signIn: 'Se connecter',
  signUp: 'Créer un compte',
  signOut: 'Se déconnecter',
  language: 'Langue',
  loading: 'Chargement…',
  footer: (site) =>
    `${site} est l’application de référence de Composable Svelte : rendue sur le serveur, hydratée, sans script en ligne.`,

  latestEssays: 'Derniers essais',
  byline: (author) => `Par ${author}`,
  commentCount: (count) =>
    plural('fr', count, { 0: 'aucun commentaire', one: '# commentaire', other: '# commentaires' }),
  postNotFound: 'Billet introuvable',
  postUnavailable: 'Billet indisponible',
  loadingPost: 'Chargement du billet…',
  thePosts: 'les billets',
  theComments: 'les commentaires',

  commentsOnTitle: (title) => `Commentaires sur ${title}`,
  comments: 'Commentaires',
  noCommentsYet: 'Pas encore de commentaire.',
  deleteComment: 'Supprimer',
  name: 'Nom',
  email: 'E-mail',

  loadingWhat: (what) => `Chargement de ${what}…`,
  couldNotLoad: (what, message) => `Impossible de charger ${what} : ${message}`,
  tryAgain: 'Réessayer',

  pageNotFound: 'Page introuvable',

  createAnAccount: 'Créez un compte',
  resetYourPassword: 'Réinitialiser votre mot de passe',
  chooseNewPassword: 'Choisir un nouveau mot de passe',

  yourAccount: 'Votre compte',
  descriptionAccount: 'Vos sessions et votre mot de passe.',

  writeAPost: 'Écrire un billet',
  editPostTitled: (title) => `Modifier « ${title} »`,
  editAPost: 'Modifier un billet',
  descriptionWrite: 'Écrire un nouvel essai.',
  descriptionEditPost: 'Modifier un essai.',

  moderation: 'Modération',
  moderationIntro: 'Les commentaires les plus récents de tous les billets.',
  usersAndRoles: 'Utilisateurs et rôles',
  descriptionUsers: 'Les comptes et leurs rôles.',
  jobs: 'Tâches',
  descriptionJobs: 'Les files de tâches d’arrière-plan et leurs planifications.',

  titleSubscribe: 'S’abonner',
  descriptionSubscribe: 'Recevez les nouveaux essais de Field Notes par e-mail, environ une fois par mois.',
  descriptionLogin: 'Connectez-vous pour commenter Field Notes.',
  descriptionSignup: 'Créez un compte Field Notes pour commenter les essais.',
  descriptionForgot: 'Recevez un lien pour choisir un nouveau mot de passe Field Notes.',
  descriptionReset: 'Choisissez un nouveau mot de passe Field Notes.',
  descriptionNotFound: 'Cette page n’existe pas.',
  titleBadRequest: 'Requête invalide',
  descriptionBadRequest: 'Cette adresse n’est pas valide.',
  descriptionError: 'Un problème est survenu.',
};

export default fr;
